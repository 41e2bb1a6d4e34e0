"""Reading a year's evidence for every member of a unit's subtree from the active facts (opened
by `adapters/facts_schema.facts`) and this service's own inputs (`people_inputs.py`), in a
handful of grouped queries (`evidence_sql.py`).

A member transferred during the year owes reports for the months of each period in the
branch whose plan assigned them, and a month's reports count up to what was due in it, so
two periods never count the same month twice and no ratio passes 100%."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import asyncpg

from ...domain.periods import due_by_month, months_covered
from .evidence_sql import (
    DUTIES_SQL,
    MARKS_SQL,
    MEMBER_COUNT_SQL,
    MEMBERS_IN_CELLS_SQL,
    MEMBERS_SQL,
    PROBLEMS_SQL,
    REPORTS_SQL,
)
from .people_inputs import read_people_inputs
from .scorecard import MemberEvidence, Tally


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
    await read_people_inputs(conn, found, year)
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


def _tallies(evidence: MemberEvidence, month: int) -> tuple[Tally, Tally]:
    return evidence.year, evidence.quarters.setdefault((month - 1) // 3 + 1, Tally())


def _count_mark(tally: Tally, status: str, n: int) -> None:
    if status == "present":
        tally.present += n
    elif status == "absent_excused":
        tally.excused += n
    else:
        tally.unexcused += n
