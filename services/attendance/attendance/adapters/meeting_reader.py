"""Reading this service's own read models back for the queries: meetings, their marks and
the guests' visits, as projected in each append's transaction (`projection.py`). Each
reader answers typed rows; the columns it selects are the row's fields, so a column added
to a table changes no answer until a row names it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from chibo_kernel.pool import LeanPool

from ..domain.events import AttendanceStatus, CommitteeLevel, MeetingKind


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """A meeting as recorded: its row of `meetings`."""

    meeting_id: str
    branch_id: str
    year: int  # of the branch's meeting book the meeting is in
    kind: MeetingKind
    month: str
    status: Literal["scheduled", "held", "cancelled"]
    scheduled_for: datetime
    place: str
    topic: str
    extra_reason: str | None
    postponements: int
    cancel_reason: str | None
    started_at: datetime | None  # these five once it is held
    ended_at: datetime | None
    chair_id: str | None
    minutes_recorded: bool | None
    prepared_by_committee: bool | None
    recorded: bool  # its sheet is in


@dataclass(frozen=True, slots=True)
class MarkRow:
    """A member's mark at a meeting, with their name as consumed ('' if unknown)."""

    meeting_id: str
    member_id: str
    status: AttendanceStatus
    reason: str | None
    corrections: int
    full_name: str


@dataclass(frozen=True, slots=True)
class GuestRow:
    guest_id: str
    level: CommitteeLevel
    within_assignment: bool


@dataclass(frozen=True, slots=True)
class VisitRow:
    """A guest's visit, with the path of the branch visited (None while it is unknown here)."""

    meeting_id: str
    branch_id: str
    held_on: date
    level: CommitteeLevel
    within_assignment: bool
    path: list[str] | None


Row = TypeVar("Row")


def _columns(row: type[Any]) -> str:
    return ", ".join(f.name for f in fields(row))


def _typed(row: type[Row], records: Sequence[Any]) -> list[Row]:
    return [row(**dict(r)) for r in records]


MEETING_SQL = f"SELECT {_columns(MeetingRow)} FROM meetings WHERE meeting_id = $1"

MEETINGS_SQL = f"""
SELECT {_columns(MeetingRow)} FROM meetings WHERE branch_id = $1 AND year = ANY($2::int[])
 ORDER BY coalesce(started_at, scheduled_for), meeting_id
"""

MARKS_SQL = """
SELECT k.meeting_id, k.member_id, k.status, k.reason, k.corrections,
       coalesce(m.full_name, '') AS full_name
  FROM attendance_marks k LEFT JOIN roster_members m USING (member_id)
 WHERE k.meeting_id = ANY($1::text[])
"""

GUESTS_SQL = f"""
SELECT {_columns(GuestRow)} FROM guest_visits WHERE meeting_id = $1
 ORDER BY guest_id
"""

VISITS_SQL = """
SELECT v.meeting_id, v.branch_id, v.held_on, v.level, v.within_assignment, u.path
  FROM guest_visits v LEFT JOIN org_units u ON u.unit_id = v.branch_id
 WHERE v.guest_id = $1 AND v.held_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
 ORDER BY v.held_on, v.meeting_id
"""


async def meeting_row(pool: LeanPool, meeting_id: str) -> MeetingRow | None:
    found = await pool.fetchrow(MEETING_SQL, meeting_id)
    return None if found is None else MeetingRow(**dict(found))


async def meeting_rows(pool: LeanPool, branch_id: str, years: Sequence[int]) -> list[MeetingRow]:
    """The branch's meetings of those years, oldest first."""
    return _typed(MeetingRow, await pool.fetch(MEETINGS_SQL, branch_id, list(years)))


async def marks_of(pool: LeanPool, meeting_ids: Sequence[str]) -> list[MarkRow]:
    """Every mark at those meetings, with the member's name as consumed ('' if unknown)."""
    return _typed(MarkRow, await pool.fetch(MARKS_SQL, list(meeting_ids)))


async def guests_at(pool: LeanPool, meeting_id: str) -> list[GuestRow]:
    return _typed(GuestRow, await pool.fetch(GUESTS_SQL, meeting_id))


async def visits_of(pool: LeanPool, guest_id: str, year: int) -> list[VisitRow]:
    """A guest's visits in a year, each with the path of the branch visited (None while
    the branch is unknown here)."""
    return _typed(VisitRow, await pool.fetch(VISITS_SQL, guest_id, year))
