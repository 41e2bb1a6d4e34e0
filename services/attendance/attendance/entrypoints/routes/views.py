"""Read routes: the roster of a day, a meeting with its sheet and facts, a branch's year, a
higher committee member's visits. Each decodes its path into a query, runs it through the
boundary and encodes the answer."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, reads_personal_data

from ...application import queries as q
from ...application.queries.history import Summary
from .. import schemas as s
from .params import MeetingId, MemberId, UnitPath, Year


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.get("/branches/{branch_id}/roster", dependencies=checked(q.BranchRoster))
    @reads_personal_data("monthly_meeting")
    async def roster(
        branch_id: UnitPath, on: Annotated[date, Query(description="the day asked about")]
    ) -> s.RosterView:
        found = await bus.run(q.BranchRoster(branch_id, on))
        members = [s.RosterMember(**asdict(e), expected=e.expected) for e in found.entries.values()]
        return s.RosterView(
            branch_id=branch_id, on=on, expected=len(found.expected_ids()), members=members
        )

    @api.get("/meetings/{meeting_id}", dependencies=checked(q.MeetingDetail))
    @reads_personal_data("monthly_meeting")
    async def meeting(meeting_id: MeetingId) -> s.MeetingView:
        found = await bus.run(q.MeetingDetail(meeting_id))
        return s.MeetingView(
            **_summary(found.summary),
            lines=[s.Line(**asdict(line)) for line in found.lines],
            guests=[s.GuestLine(**asdict(g)) for g in found.guests],
        )

    @api.get("/branches/{branch_id}/years/{year}", dependencies=checked(q.BranchYear))
    @reads_personal_data("monthly_meeting")
    async def branch_year(branch_id: UnitPath, year: Year) -> s.BranchYearView:
        found = await bus.run(q.BranchYear(branch_id, year))
        return s.BranchYearView(
            branch_id=found.branch_id,
            year=found.year,
            months=[s.MonthLine(**asdict(m)) for m in found.months],
            months_without_regular_meeting=found.months_without_regular_meeting,
            meetings=[s.MeetingSummary(**_summary(m)) for m in found.meetings],
            removal_review=[s.RemovalFlag(**asdict(f)) for f in found.removal_review],
        )

    @api.get("/followers/{member_id}/visits/{year}", dependencies=checked(q.FollowerVisits))
    @reads_personal_data("supervision")
    async def visits(member_id: MemberId, year: Year) -> s.VisitsView:
        """A higher committee member's visits to branch meetings in a year. Visits to
        branches outside the caller's subtree are left out, from the counts too, and so
        are the followed units outside it."""
        found = await bus.run(q.FollowerVisits(member_id, year))
        return s.VisitsView(**asdict(found))


def _summary(summary: Summary) -> dict[str, Any]:
    row = asdict(summary.row)
    fields = {k: row[k] for k in s.MeetingSummary.model_fields if k != "facts"}
    facts = summary.facts
    return {**fields, "facts": s.Facts(**asdict(facts)) if facts else None}
