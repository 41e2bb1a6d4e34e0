"""Reading a year's evidence for every member of a unit's subtree from the active facts
(and this service's own inputs), in a handful of grouped queries.

A member transferred during the year owes reports for the months of each period in the
branch whose plan assigned them, and a month's reports count up to what was due in it, so
two periods never count the same month twice and no ratio passes 100%."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import date

import asyncpg

from chibo_kernel.pool import LeanPool

from ..adapters.facts_schema import checked
from ..domain.member_year import Comment, Conclusion, DisciplineCase, SelfAssessment
from ..domain.periods import due_by_month, months_covered
from .scorecard import MemberEvidence, Tally

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


@asynccontextmanager
async def facts(pool: LeanPool, schema: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection reading one generation's facts (and the service's own tables)."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute(f"SET LOCAL search_path TO {checked(schema)}, public")
        yield conn


async def member_evidence(
    conn: asyncpg.Connection,
    unit_id: str | Sequence[str],
    year: int,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[MemberEvidence]:
    """Every member whose official branch at the year's end lies under `unit_id` (or is one
    of the cells given), in the order of the member list (branch, name), or one page of
    them: the later queries read only the page's members, so a page costs what its members
    cost."""
    found: dict[str, MemberEvidence] = {}
    sql = MEMBERS_SQL if isinstance(unit_id, str) else MEMBERS_IN_CELLS_SQL
    unit = unit_id if isinstance(unit_id, str) else list(unit_id)
    for row in await conn.fetch(sql, unit, date(year, 12, 31), limit, offset):
        found[row["member_id"]] = MemberEvidence(
            row["member_id"],
            row["full_name"],
            row["branch_id"],
            row["admission_date"],
            year,
            committee=row["committee"],
            standing=set(row["standing"]),
        )
    ids = list(found)
    away = await _months_on_leave(conn, ids, year)
    due = await _duties(conn, found, year, away)
    await _reports(conn, found, due, year)
    await _marks(conn, found, year)
    for row in await conn.fetch(PROBLEMS_SQL, ids, str(year)):
        for tally in _tallies(found[row["member_id"]], row["month"]):
            tally.problems_raised += row["raised"]
            tally.problems_resolved += row["resolved"]
    await _people_inputs(conn, found, year)
    return list(found.values())


async def member_count(conn: asyncpg.Connection, unit_id: str, year: int) -> int:
    return int(await conn.fetchval(MEMBER_COUNT_SQL, unit_id, date(year, 12, 31)))


async def _months_on_leave(
    conn: asyncpg.Connection, ids: list[str], year: int
) -> dict[str, set[int]]:
    """Months whose 15th a member spent on sick or maternity leave: no report is due."""
    away: dict[str, set[int]] = defaultdict(set)
    for row in await conn.fetch(
        "SELECT member_id, from_date, to_date FROM leaves "
        "WHERE year = $2 AND member_id = ANY ($1::text[])",
        ids,
        year,
    ):
        away[row["member_id"]].update(months_covered(row["from_date"], row["to_date"], year))
    return away


async def _duties(
    conn: asyncpg.Connection,
    found: dict[str, MemberEvidence],
    year: int,
    away: dict[str, set[int]],
) -> dict[str, dict[int, int]]:
    """Reports due per member and month: one per assignment held in that month, none in a
    month on leave (the member is rated on the work done in the others)."""
    periods: dict[str, list[tuple[date, date | None, int]]] = defaultdict(list)
    for row in await conn.fetch(DUTIES_SQL, list(found), year):
        evidence = found[row["member_id"]]
        what = list(row["what"])
        evidence.assignments = sorted({*evidence.assignments, *what})
        periods[evidence.member_id].append((row["from_date"], row["to_date"], len(what)))
    due = {
        member_id: due_by_month(spans, year, away.get(member_id, ()))
        for member_id, spans in periods.items()
    }
    for member_id, months in due.items():
        evidence = found[member_id]
        evidence.assigned_months = sorted(months)
        for month, count in months.items():
            for tally in _tallies(evidence, month):
                tally.reports_expected += count
    return due


async def _reports(
    conn: asyncpg.Connection,
    found: dict[str, MemberEvidence],
    due: dict[str, dict[int, int]],
    year: int,
) -> None:
    for row in await conn.fetch(REPORTS_SQL, list(found), str(year)):
        evidence = found[row["member_id"]]
        month = row["month"]
        evidence.report_months.add(month)
        owed = due.get(evidence.member_id, {}).get(month, 0)
        submitted = min(row["submitted"], owed)
        for tally in _tallies(evidence, month):
            tally.reports_submitted += submitted
            tally.reports_on_time += min(row["on_time"], submitted)
            for key in ("good", "fair", "weak"):
                tally.reviews[key] = tally.reviews.get(key, 0) + row[key]


async def _marks(conn: asyncpg.Connection, found: dict[str, MemberEvidence], year: int) -> None:
    unexcused: dict[str, set[str]] = {}
    for row in await conn.fetch(MARKS_SQL, list(found), str(year)):
        evidence = found[row["member_id"]]
        for tally in _tallies(evidence, int(row["month"][5:])):
            tally.meetings_expected += row["n"]
            _count_mark(tally, row["status"], row["n"])
        if row["status"] == "absent_unexcused":
            unexcused.setdefault(row["member_id"], set()).add(row["month"])
    for member_id, months in unexcused.items():
        found[member_id].unexcused_months = sorted(months)


async def _people_inputs(
    conn: asyncpg.Connection, found: dict[str, MemberEvidence], year: int
) -> None:
    ids = list(found)
    for row in await conn.fetch(
        "SELECT member_id, measure, decided_on, violation_year, in_duties, self_reported "
        "FROM disciplines WHERE year = $2 AND member_id = ANY ($1::text[]) "
        "ORDER BY member_id, decided_on",
        ids,
        year,
    ):
        found[row["member_id"]].disciplines.append(
            DisciplineCase(
                row["measure"],
                row["decided_on"],
                row["violation_year"],
                row["in_duties"],
                row["self_reported"],
            )
        )
    for row in await conn.fetch(
        "SELECT member_id, kind, concluded_on FROM conclusions "
        "WHERE year = $2 AND member_id = ANY ($1::text[]) ORDER BY concluded_on",
        ids,
        year,
    ):
        found[row["member_id"]].conclusions.append(Conclusion(row["kind"], row["concluded_on"]))
    for row in await conn.fetch(
        "SELECT member_id, kind, sum(months)::int AS months FROM leaves "
        "WHERE year = $2 AND member_id = ANY ($1::text[]) GROUP BY member_id, kind",
        ids,
        year,
    ):
        evidence = found[row["member_id"]]
        if row["kind"] == "sick":
            evidence.sick_leave_months = row["months"]
        else:
            evidence.maternity_leave_months = row["months"]
    for row in await conn.fetch(
        "SELECT * FROM self_assessments WHERE year = $2 AND member_id = ANY ($1::text[])", ids, year
    ):
        found[row["member_id"]].self_assessment = SelfAssessment(
            row["general_points"],
            row["task_points"],
            row["tasks_total"],
            row["tasks_on_time"],
            row["tasks_exceeded"],
            row["shortcomings_fixed"],
            row["level"],
        )
    for row in await conn.fetch(
        "SELECT member_id, level, note FROM appraisals "
        "WHERE year = $2 AND member_id = ANY ($1::text[])",
        ids,
        year,
    ):
        found[row["member_id"]].appraisal = row["level"]
        found[row["member_id"]].appraisal_note = row["note"]
    for row in await conn.fetch(
        "SELECT DISTINCT member_id, host_branch_id FROM temporary_periods "
        "WHERE member_id = ANY ($1::text[]) AND from_date <= make_date($2, 12, 31) "
        "AND to_date >= make_date($2, 1, 1) ORDER BY member_id, host_branch_id",
        ids,
        year,
    ):
        found[row["member_id"]].temporary_hosts.append(row["host_branch_id"])
    for row in await conn.fetch(
        "SELECT member_id, source, from_unit, comment FROM comments "
        "WHERE year = $2 AND member_id = ANY ($1::text[]) ORDER BY commented_on",
        ids,
        year,
    ):
        found[row["member_id"]].comments.append(
            Comment(row["source"], row["from_unit"], row["comment"])
        )
    for row in await conn.fetch(
        "SELECT member_id, removed FROM removals WHERE year = $2 AND member_id = ANY ($1::text[])",
        ids,
        year,
    ):
        removed = row["removed"]
        found[row["member_id"]].removal_procedure = (
            "proposed" if removed is None else ("removed" if removed else "kept")
        )
    for row in await conn.fetch(
        "SELECT subject_id, level FROM decisions WHERE subject = 'member' AND year = $2 "
        "AND subject_id = ANY ($1::text[])",
        ids,
        year,
    ):
        found[row["subject_id"]].decided = row["level"]


def _tallies(evidence: MemberEvidence, month: int) -> tuple[Tally, Tally]:
    return evidence.year, evidence.quarters.setdefault((month - 1) // 3 + 1, Tally())


def _count_mark(tally: Tally, status: str, n: int) -> None:
    if status == "present":
        tally.present += n
    elif status == "absent_excused":
        tally.excused += n
    else:
        tally.unexcused += n
