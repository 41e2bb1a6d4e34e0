"""A branch's year: each month's regular meeting, the months already over without one,
every meeting with its facts, and the members Charter art. 8 asks to review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from chibo_contracts.meeting_quality import HeldMeeting, quality_facts, removal_review
from chibo_kernel.clock import VIETNAM, month_of
from chibo_kernel.domain import Message

from ...adapters.meeting_reader import MeetingRow, meeting_rows
from .history import Summary, held_meetings
from .reading import Reads


@dataclass(frozen=True)
class MonthLine:
    month: str
    regular_meeting: str  # held, scheduled, cancelled or none
    meeting_ids: list[str]


@dataclass(frozen=True)
class RemovalFlag:
    """Charter art. 8: three months in a year absent without good reason."""

    member_id: str
    full_name: str
    months: list[str]


@dataclass(frozen=True)
class YearAnswer:
    branch_id: str
    year: int
    months: list[MonthLine]
    months_without_regular_meeting: list[str]
    meetings: list[Summary]
    removal_review: list[RemovalFlag]


@dataclass(frozen=True)
class BranchYear(Message[YearAnswer]):
    branch_id: str
    year: int


async def handle(query: BranchYear, reads: Reads) -> YearAnswer:
    branch_id, year = query.branch_id, query.year
    rows = await meeting_rows(reads.pool, branch_id, [year - 1, year])
    held = await held_meetings(reads.pool, branch_id, rows)
    facts = quality_facts(held)
    this_year = [r for r in rows if r.year == year]
    months = _months(year, this_year)
    return YearAnswer(
        branch_id=branch_id,
        year=year,
        months=months,
        # Only months that are over: the current one may still have its meeting.
        months_without_regular_meeting=[
            m.month
            for m in months
            if m.regular_meeting != "held" and m.month < month_of(datetime.now(VIETNAM))
        ],
        meetings=[Summary(r, facts.get(r.meeting_id)) for r in this_year],
        removal_review=_removal_flags([h for h in held if h.held_on.year == year]),
    )


def _months(year: int, rows: Sequence[MeetingRow]) -> list[MonthLine]:
    lines = []
    for number in range(1, 13):
        month = f"{year}-{number:02}"
        here = [r for r in rows if r.month == month]
        regular = {r.status for r in here if r.kind == "regular"}
        state = next((st for st in ("held", "scheduled", "cancelled") if st in regular), "none")
        lines.append(MonthLine(month, state, [r.meeting_id for r in here]))
    return lines


def _removal_flags(held: Sequence[HeldMeeting]) -> list[RemovalFlag]:
    names = {line.member_id: line.full_name for h in held for line in h.lines}
    return [
        RemovalFlag(member_id=member, full_name=names.get(member, ""), months=months)
        for member, months in sorted(removal_review(held).items())
    ]
