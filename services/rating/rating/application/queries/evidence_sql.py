"""The grouped queries that read a year's evidence from the facts, one per kind of record
for a whole page of members; kept apart from the code folding their rows into scorecards
so each reads whole."""

MEMBERS_SQL = """
SELECT p.member_id, m.full_name, m.admission_date, p.branch_id,
       EXISTS (SELECT 1 FROM roles r WHERE r.member_id = p.member_id
                 AND r.branch_id = p.branch_id AND r.since <= $2) AS committee,
       ARRAY(SELECT s.standing FROM member_standing s WHERE s.member_id = p.member_id
               AND s.from_date <= $2 AND (s.to_date IS NULL OR s.to_date >= $2)) AS standing
  FROM member_periods p
  JOIN members m USING (member_id)
  JOIN units u ON u.unit_id = p.branch_id
 WHERE $1 = ANY (u.path) AND p.from_date <= $2 AND (p.to_date IS NULL OR p.to_date >= $2)
 ORDER BY p.branch_id, m.full_name, p.member_id
 LIMIT $3 OFFSET $4
"""

# The same, for the members of the cells given (what one derivation prepares).
MEMBERS_IN_CELLS_SQL = MEMBERS_SQL.replace(
    "WHERE $1 = ANY (u.path)", "WHERE p.branch_id = ANY ($1::text[])"
)

MEMBER_COUNT_SQL = """
SELECT count(*) FROM member_periods p JOIN units u ON u.unit_id = p.branch_id
 WHERE $1 = ANY (u.path) AND p.from_date <= $2 AND (p.to_date IS NULL OR p.to_date >= $2)
"""

# Every period of the year, with what that period's branch's plan assigned the member.
DUTIES_SQL = """
SELECT p.member_id, p.from_date, p.to_date,
       coalesce(array_agg(a.what ORDER BY a.what) FILTER (WHERE a.what IS NOT NULL), '{}')
         AS what
  FROM member_periods p
  LEFT JOIN plans pl ON pl.branch_id = p.branch_id AND pl.year = $2
  LEFT JOIN assignments a ON a.plan_id = pl.plan_id AND a.member_id = p.member_id
 WHERE p.member_id = ANY ($1::text[]) AND p.from_date <= make_date($2, 12, 31)
   AND (p.to_date IS NULL OR p.to_date >= make_date($2, 1, 1))
 GROUP BY p.member_id, p.from_date, p.to_date
"""

REPORTS_SQL = """
SELECT member_id, substr(month, 6, 2)::int AS month, count(*) AS submitted,
       count(*) FILTER (WHERE NOT late) AS on_time,
       count(*) FILTER (WHERE evaluation = 'good') AS good,
       count(*) FILTER (WHERE evaluation = 'fair') AS fair,
       count(*) FILTER (WHERE evaluation = 'weak') AS weak
  FROM reports WHERE member_id = ANY ($1::text[]) AND month LIKE $2 || '-%'
 GROUP BY member_id, month
"""

# Committee meetings expect only the committee; the member's year counts the branch's own.
MARKS_SQL = """
SELECT k.member_id, mt.month, k.status, count(*) AS n
  FROM marks k JOIN meetings mt USING (meeting_id)
 WHERE k.member_id = ANY ($1::text[]) AND mt.status = 'held' AND mt.kind <> 'committee'
   AND mt.month LIKE $2 || '-%'
 GROUP BY k.member_id, mt.month, k.status
"""

PROBLEMS_SQL = """
SELECT member_id, substr(month, 6, 2)::int AS month, count(*) AS raised,
       count(*) FILTER (WHERE status = 'resolved') AS resolved
  FROM problems WHERE member_id = ANY ($1::text[]) AND month LIKE $2 || '-%'
 GROUP BY member_id, month
"""
