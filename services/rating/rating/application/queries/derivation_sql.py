"""The statements of the derivation (`derivation.py`): the stale marks it takes and clears,
the collectives under an organisation as counted upward, and the prepared rows it writes;
kept apart from the code so each reads whole."""

STALE_SQL = """
SELECT s.unit_id, s.year, s.version FROM stale s
 WHERE ($1::text IS NULL OR EXISTS (
         SELECT 1 FROM units u WHERE u.unit_id = s.unit_id AND $1 = ANY (u.path)))
   AND ($2::int IS NULL OR s.year = $2)
 ORDER BY s.year, s.unit_id LIMIT $3
"""

# Locked in (unit, year) order, as marks are, so a derivation and a mark never deadlock.
CLEAR_SQL = """
DELETE FROM stale WHERE (unit_id, year, version) IN (
    SELECT s.unit_id, s.year, s.version FROM stale s
      JOIN unnest($1::text[], $2::int[], $3::bigint[]) AS d(u, y, v)
        ON s.unit_id = d.u AND s.year = d.y AND s.version = d.v
     ORDER BY s.unit_id, s.year FOR UPDATE OF s)
"""

CHILDREN_SQL = """
SELECT c.parent_id, c.unit_id, r.unit_id IS NOT NULL AS prepared,
       coalesce(d.level, r.level) AS level, coalesce(a.disciplined, false) AS disciplined
  FROM units c
  LEFT JOIN unit_ratings r ON r.unit_id = c.unit_id AND r.year = $2
  LEFT JOIN decisions d ON d.subject = 'unit' AND d.subject_id = c.unit_id AND d.year = $2
  LEFT JOIN unit_appraisals a ON a.unit_id = c.unit_id AND a.year = $2
 WHERE c.parent_id = ANY ($1::text[]) AND c.active AND c.kind IN ('branch', 'grassroots')
 ORDER BY c.parent_id, c.unit_id
"""

UNIT_ROW_SQL = """
INSERT INTO unit_ratings VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (unit_id, year) DO UPDATE SET kind = excluded.kind, level = excluded.level,
    score = excluded.score, reasons = excluded.reasons, bon_tot = excluded.bon_tot,
    disciplined = excluded.disciplined
"""

MEMBER_ROWS_SQL = """
INSERT INTO member_ratings
SELECT id, y, cell, rated, level, score, flagged, string_to_array(months, ',')
  FROM unnest($1::text[], $2::int[], $3::text[], $4::boolean[], $5::text[],
              $6::float8[], $7::boolean[], $8::text[])
       AS m(id, y, cell, rated, level, score, flagged, months)
ON CONFLICT (member_id, year) DO UPDATE SET cell_id = excluded.cell_id,
    rated = excluded.rated, level = excluded.level, score = excluded.score,
    flagged = excluded.flagged, unexcused_months = excluded.unexcused_months
"""
