"""The statements that write stale marks, kept apart from the code that gathers what to mark
so each reads whole: a batch's marks resolved through the facts (`MARK_SQL`), the years a
batch notes while the consumers catch up, those years turned into marks of every unit, and
every unit of every year at once. Each writes in key order: two transactions marking the
same rows take their locks in the same order and never deadlock each other.
"""

MARK_SQL = """
INSERT INTO stale (unit_id, year)
SELECT unit_id, year FROM (
    SELECT unit_id, year, bool_or(sure) AS sure FROM (
        SELECT c.u, c.y, c.sure FROM unnest($1::text[], $2::int[], $3::boolean[]) AS c(u, y, sure)
        UNION ALL
        SELECT p.branch_id, m.y, m.sure
          FROM unnest($4::text[], $5::int[], $6::boolean[]) AS m(id, y, sure)
          JOIN member_periods p ON p.member_id = m.id
           AND p.from_date <= make_date(m.y, 12, 31)
           AND (p.to_date IS NULL OR p.to_date >= make_date(m.y, 1, 1))
        UNION ALL
        SELECT branch_id, year, true FROM plans WHERE plan_id = ANY ($7::text[])
        UNION ALL
        SELECT branch_id, substr(month, 1, 4)::int, true FROM problems
         WHERE problem_id = ANY ($8::text[])
    ) AS t(unit_id, year, sure) GROUP BY unit_id, year
) AS touched
WHERE year BETWEEN $9 AND $10
  AND (sure OR EXISTS (SELECT 1 FROM unit_ratings r
                        WHERE r.unit_id = touched.unit_id AND r.year = touched.year)
       -- A meeting dates its year, but one read before its branch was known (the attendance
       -- stream ahead in a rebuild, a crashed batch delivered late) had nothing to derive.
       OR EXISTS (SELECT 1 FROM meetings m WHERE m.branch_id = touched.unit_id
                   AND m.month BETWEEN touched.year || '-01' AND touched.year || '-12'))
ORDER BY unit_id, year
ON CONFLICT (unit_id, year) DO UPDATE SET version = stale.version + 1
"""

YEARS_SQL = """
INSERT INTO catch_up_years (year)
SELECT DISTINCT y FROM (
    SELECT unnest($1::int[]) AS y
    UNION SELECT c.y FROM unnest($2::int[]) AS c(y)
     WHERE EXISTS (SELECT 1 FROM unit_ratings r WHERE r.year = c.y)
    UNION SELECT year FROM plans WHERE plan_id = ANY ($3::text[])
    UNION SELECT substr(month, 1, 4)::int FROM problems WHERE problem_id = ANY ($4::text[])
) AS t
WHERE y BETWEEN $5 AND $6
ORDER BY 1
ON CONFLICT (year) DO NOTHING
"""

# Every unit a year's ratings are prepared for, marked for the years noted while catching up.
YEARS_TO_MARKS_SQL = """
WITH years AS (DELETE FROM catch_up_years RETURNING year)
INSERT INTO stale (unit_id, year)
SELECT u.unit_id, y.year FROM units u CROSS JOIN years y
 WHERE u.kind IN ('branch', 'grassroots') ORDER BY 1, 2
ON CONFLICT (unit_id, year) DO UPDATE SET version = stale.version + 1
"""

# Every unit in every year anything is prepared or recorded for.
MARK_ALL_SQL = """
INSERT INTO stale (unit_id, year)
SELECT u.unit_id, y.year FROM units u CROSS JOIN (
    SELECT year FROM unit_ratings UNION SELECT year FROM plans
    UNION SELECT substr(month, 1, 4)::int FROM meetings
    UNION SELECT substr(month, 1, 4)::int FROM reports) AS y
 WHERE y.year >= $1 ORDER BY 1, 2
ON CONFLICT (unit_id, year) DO UPDATE SET version = stale.version + 1
"""
