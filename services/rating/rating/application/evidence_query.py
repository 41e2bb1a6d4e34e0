"""Reading a year's evidence for every member of a unit's subtree from the active facts
(and this service's own inputs), in a handful of grouped queries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import asyncpg

from chibo_kernel.pool import LeanPool

from ..adapters.facts_schema import checked
from ..domain.evidence import MemberEvidence, Tally

MEMBERS_SQL = """
SELECT p.member_id, m.full_name, m.admission_date, p.branch_id, p.from_date, p.to_date,
       EXISTS (SELECT 1 FROM roles r WHERE r.member_id = p.member_id
                 AND r.branch_id = p.branch_id AND r.since <= $2) AS committee,
       ARRAY(SELECT s.standing FROM member_standing s WHERE s.member_id = p.member_id
               AND s.from_date <= $2 AND (s.to_date IS NULL OR s.to_date >= $2)) AS standing
  FROM member_periods p
  JOIN members m USING (member_id)
  JOIN units u ON u.unit_id = p.branch_id
 WHERE $1 = ANY (u.path) AND p.from_date <= $2 AND (p.to_date IS NULL OR p.to_date >= $2)
 ORDER BY p.branch_id, m.full_name, p.member_id
"""

ASSIGNMENTS_SQL = """
SELECT a.member_id, array_agg(a.what ORDER BY a.what) AS what
  FROM assignments a JOIN plans p USING (plan_id)
 WHERE p.year = $2 AND p.branch_id = ANY ($3::text[]) AND a.member_id = ANY ($1::text[])
 GROUP BY a.member_id
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


@asynccontextmanager
async def facts(pool: LeanPool, schema: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection reading one generation's facts (and the service's own tables)."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute(f"SET LOCAL search_path TO {checked(schema)}, public")
        yield conn


async def member_evidence(
    conn: asyncpg.Connection, unit_id: str, year: int
) -> list[MemberEvidence]:
    """Every member whose official branch at the year's end lies under `unit_id`."""
    year_end = date(year, 12, 31)
    found: dict[str, MemberEvidence] = {}
    months_in: dict[str, list[int]] = {}
    for row in await conn.fetch(MEMBERS_SQL, unit_id, year_end):
        evidence = MemberEvidence(
            row["member_id"],
            row["full_name"],
            row["branch_id"],
            row["admission_date"],
            committee=row["committee"],
            standing=set(row["standing"]),
        )
        found[evidence.member_id] = evidence
        months_in[evidence.member_id] = _months_covered(row["from_date"], row["to_date"], year)
    ids = list(found)
    branches = sorted({e.branch_id for e in found.values()})
    prefix = str(year)
    for row in await conn.fetch(ASSIGNMENTS_SQL, ids, year, branches):
        evidence = found[row["member_id"]]
        evidence.assignments = list(row["what"])
        evidence.assigned_months = months_in[row["member_id"]]
    for evidence in found.values():
        for month in evidence.assigned_months:
            for tally in _tallies(evidence, month):
                tally.reports_expected += len(evidence.assignments)
    for row in await conn.fetch(REPORTS_SQL, ids, prefix):
        evidence = found[row["member_id"]]
        for tally in _tallies(evidence, row["month"]):
            tally.reports_submitted += row["submitted"]
            tally.reports_on_time += row["on_time"]
            for key in ("good", "fair", "weak"):
                tally.reviews[key] = tally.reviews.get(key, 0) + row[key]
    unexcused: dict[str, set[str]] = {}
    for row in await conn.fetch(MARKS_SQL, ids, prefix):
        evidence = found[row["member_id"]]
        for tally in _tallies(evidence, int(row["month"][5:])):
            tally.meetings_expected += row["n"]
            _count_mark(tally, row["status"], row["n"])
        if row["status"] == "absent_unexcused":
            unexcused.setdefault(row["member_id"], set()).add(row["month"])
    for member_id, months in unexcused.items():
        found[member_id].unexcused_months = sorted(months)
    for row in await conn.fetch(PROBLEMS_SQL, ids, prefix):
        for tally in _tallies(found[row["member_id"]], row["month"]):
            tally.problems_raised += row["raised"]
            tally.problems_resolved += row["resolved"]
    await _people_inputs(conn, found, year)
    return list(found.values())


async def _people_inputs(
    conn: asyncpg.Connection, found: dict[str, MemberEvidence], year: int
) -> None:
    ids = list(found)
    for row in await conn.fetch(
        "SELECT DISTINCT ON (member_id) member_id, measure FROM disciplines "
        "WHERE year = $2 AND member_id = ANY ($1::text[]) ORDER BY member_id, rank DESC",
        ids,
        year,
    ):
        found[row["member_id"]].discipline = row["measure"]
    for row in await conn.fetch(
        "SELECT * FROM self_assessments WHERE year = $2 AND member_id = ANY ($1::text[])", ids, year
    ):
        found[row["member_id"]].self_assessment = dict(row)
    for row in await conn.fetch(
        "SELECT member_id, level FROM appraisals WHERE year = $2 AND member_id = ANY ($1::text[])",
        ids,
        year,
    ):
        found[row["member_id"]].appraisal = row["level"]
    for row in await conn.fetch(
        "SELECT subject_id, level FROM decisions WHERE subject = 'member' AND year = $2 "
        "AND subject_id = ANY ($1::text[])",
        ids,
        year,
    ):
        found[row["subject_id"]].decided = row["level"]


def _months_covered(start: date, end: date | None, year: int) -> list[int]:
    """Months of `year` whose 15th falls in the period: a member transferred in on 15 June
    reports from June, one transferred in on the 16th from July."""
    return [
        m
        for m in range(1, 13)
        if start <= date(year, m, 15) and (end is None or end >= date(year, m, 15))
    ]


def _tally(evidence: MemberEvidence, month: int) -> Tally:
    return evidence.quarters.setdefault((month - 1) // 3 + 1, Tally())


def _tallies(evidence: MemberEvidence, month: int) -> tuple[Tally, Tally]:
    return evidence.year, _tally(evidence, month)


def _count_mark(tally: Tally, status: str, n: int) -> None:
    if status == "present":
        tally.present += n
    elif status == "absent_excused":
        tally.excused += n
    else:
        tally.unexcused += n
