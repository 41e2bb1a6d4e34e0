"""Reading this service's own read models back for the queries: meetings, their marks and
the guests' visits, as projected in each append's transaction (`projection.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chibo_kernel.pool import LeanPool

MEETING_SQL = "SELECT * FROM meetings WHERE meeting_id = $1"

MEETINGS_SQL = """
SELECT * FROM meetings WHERE branch_id = $1 AND year = ANY($2::int[])
 ORDER BY coalesce(started_at, scheduled_for), meeting_id
"""

MARKS_SQL = """
SELECT k.meeting_id, k.member_id, k.status, k.reason, k.corrections,
       coalesce(m.full_name, '') AS full_name
  FROM attendance_marks k LEFT JOIN roster_members m USING (member_id)
 WHERE k.meeting_id = ANY($1::text[])
"""

GUESTS_SQL = """
SELECT guest_id, level, within_assignment FROM guest_visits WHERE meeting_id = $1
 ORDER BY guest_id
"""

VISITS_SQL = """
SELECT v.meeting_id, v.branch_id, v.held_on, v.level, v.within_assignment, u.path
  FROM guest_visits v LEFT JOIN org_units u ON u.unit_id = v.branch_id
 WHERE v.guest_id = $1 AND v.held_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
 ORDER BY v.held_on, v.meeting_id
"""


async def meeting_row(pool: LeanPool, meeting_id: str) -> Any | None:
    return await pool.fetchrow(MEETING_SQL, meeting_id)


async def meeting_rows(pool: LeanPool, branch_id: str, years: Sequence[int]) -> list[Any]:
    """The branch's meetings of those years, oldest first."""
    return list(await pool.fetch(MEETINGS_SQL, branch_id, list(years)))


async def marks_of(pool: LeanPool, meeting_ids: Sequence[str]) -> list[Any]:
    """Every mark at those meetings, with the member's name as consumed ('' if unknown)."""
    return list(await pool.fetch(MARKS_SQL, list(meeting_ids)))


async def guests_at(pool: LeanPool, meeting_id: str) -> list[Any]:
    return list(await pool.fetch(GUESTS_SQL, meeting_id))


async def visits_of(pool: LeanPool, guest_id: str, year: int) -> list[Any]:
    """A guest's visits in a year, each with the path of the branch visited (None while
    the branch is unknown here)."""
    return list(await pool.fetch(VISITS_SQL, guest_id, year))
