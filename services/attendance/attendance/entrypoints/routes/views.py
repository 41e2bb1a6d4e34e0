"""Read routes: the roster of a day, a meeting with its sheet and facts, a branch's year, a
higher committee member's visits. All computed from the read models as they stand now."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from chibo_kernel.auth import Permission, can
from chibo_kernel.clock import VIETNAM, month_of
from chibo_kernel.errors import NotFound
from chibo_kernel.http import guard
from chibo_kernel.meeting_quality import HeldMeeting, QualityFacts, quality_facts, removal_review
from chibo_kernel.pool import LeanPool

from ...adapters.roster_reader import followed_unit_paths, roster_on
from ...application.history import held_meetings, meeting_rows
from .. import schemas as s
from .params import MeetingId, MemberId, UnitPath, Year
from .places import Places, callers_subtree

VISITS_SQL = """
SELECT v.meeting_id, v.branch_id, v.held_on, v.level, v.within_assignment, u.path
  FROM guest_visits v LEFT JOIN org_units u ON u.unit_id = v.branch_id
 WHERE v.guest_id = $1 AND v.held_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
 ORDER BY v.held_on, v.meeting_id
"""


def add_routes(api: APIRouter, pool: Callable[[], LeanPool], places: Places) -> None:
    at_branch = [guard(Permission.READ, places.branch)]
    at_meeting = [guard(Permission.READ, places.meeting)]
    # The member role: only its own visits; every role: only visits inside its subtree.
    own_or_subtree = [guard(Permission.READ, callers_subtree, member_param="member_id")]

    @api.get("/branches/{branch_id}/roster", dependencies=at_branch)
    async def roster(
        branch_id: UnitPath, on: Annotated[date, Query(description="the day asked about")]
    ) -> s.RosterView:
        found = await roster_on(pool(), branch_id, on)
        members = [s.RosterMember(**asdict(e), expected=e.expected) for e in found.entries.values()]
        return s.RosterView(
            branch_id=branch_id, on=on, expected=len(found.expected_ids()), members=members
        )

    @api.get("/meetings/{meeting_id}", dependencies=at_meeting)
    async def meeting(meeting_id: MeetingId) -> s.MeetingView:
        row = await pool().fetchrow("SELECT * FROM meetings WHERE meeting_id = $1", meeting_id)
        if row is None:
            raise NotFound(f"meeting {meeting_id}", f"cuộc họp {meeting_id}")
        # Streaks run across the new year, so the year before is read too.
        rows = await meeting_rows(pool(), row["branch_id"], [row["year"] - 1, row["year"]])
        held = await held_meetings(pool(), row["branch_id"], rows)
        facts = quality_facts(held)
        sheet = next((h for h in held if h.meeting_id == meeting_id), None)
        guests = await pool().fetch(
            "SELECT guest_id, level, within_assignment FROM guest_visits WHERE meeting_id = $1"
            " ORDER BY guest_id",
            meeting_id,
        )
        return s.MeetingView(
            **_summary(row, facts.get(meeting_id)),
            lines=[s.Line(**asdict(line)) for line in (sheet.lines if sheet else [])],
            guests=[s.GuestLine(**dict(g)) for g in guests],
        )

    @api.get("/branches/{branch_id}/years/{year}", dependencies=at_branch)
    async def branch_year(branch_id: UnitPath, year: Year) -> s.BranchYearView:
        rows = await meeting_rows(pool(), branch_id, [year - 1, year])
        held = await held_meetings(pool(), branch_id, rows)
        facts = quality_facts(held)
        this_year = [r for r in rows if r["year"] == year]
        months = _months(year, this_year)
        return s.BranchYearView(
            branch_id=branch_id,
            year=year,
            months=months,
            # Only months that are over: the current one may still have its meeting.
            months_without_regular_meeting=[
                m.month
                for m in months
                if m.regular_meeting != "held" and m.month < month_of(datetime.now(VIETNAM))
            ],
            meetings=[
                s.MeetingSummary(**_summary(r, facts.get(r["meeting_id"]))) for r in this_year
            ],
            removal_review=_removal_flags([h for h in held if h.held_on.year == year]),
        )

    @api.get("/followers/{member_id}/visits/{year}", dependencies=own_or_subtree)
    async def visits(member_id: MemberId, year: Year) -> s.VisitsView:
        """A higher committee member's visits to branch meetings in a year. Visits to
        branches outside the caller's subtree are left out, from the counts too, and so
        are the followed units outside it."""
        rows = await pool().fetch(VISITS_SQL, member_id, year)
        found = [
            s.Visit(**{k: r[k] for k in s.Visit.model_fields})
            for r in rows
            if can(Permission.READ, r["path"], member_id)
        ]
        followed = await followed_unit_paths(pool(), member_id, year)
        visible = [u for u, path in followed.items() if can(Permission.READ, path, member_id)]
        return s.VisitsView(
            follower_id=member_id,
            year=year,
            visits=found,
            total=len(found),
            outside_assignment=sum(1 for v in found if not v.within_assignment),
            followed_units=sorted(visible),
        )


def _summary(row: Any, facts: QualityFacts | None) -> dict[str, Any]:
    fields = {k: row[k] for k in s.MeetingSummary.model_fields if k != "facts"}
    return {**fields, "facts": s.Facts(**asdict(facts)) if facts else None}


def _months(year: int, rows: Sequence[Any]) -> list[s.MonthLine]:
    lines = []
    for number in range(1, 13):
        month = f"{year}-{number:02}"
        here = [r for r in rows if r["month"] == month]
        regular = {r["status"] for r in here if r["kind"] == "regular"}
        state = next((st for st in ("held", "scheduled", "cancelled") if st in regular), "none")
        lines.append(
            s.MonthLine(
                month=month, regular_meeting=state, meeting_ids=[r["meeting_id"] for r in here]
            )
        )
    return lines


def _removal_flags(held: Sequence[HeldMeeting]) -> list[s.RemovalFlag]:
    names = {line.member_id: line.full_name for h in held for line in h.lines}
    return [
        s.RemovalFlag(member_id=member, full_name=names.get(member, ""), months=months)
        for member, months in sorted(removal_review(held).items())
    ]
