"""Routes that read a branch as the web app lists it: its members on a day, its households
with their holders and who follows it from above. All name people: declared, so every read
is logged."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, reads_personal_data

from ...application import queries as q
from .. import branch_schemas as s
from .. import follower_schemas as fs
from .params import UnitPath


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.get("/branches/{branch_id}/members", dependencies=checked(q.BranchMembers))
    @reads_personal_data("member_records")
    async def branch_members(
        branch_id: UnitPath, on: Annotated[date | None, Query()] = None
    ) -> s.MembersView:
        """The branch's members on `on` (default today) in Vietnamese name order (given
        name, then the whole name): card number, admission, status, roles, standing that
        day, temporary attendance elsewhere, committee. `read` at the branch."""
        return s.MembersView.model_validate(await bus.run(q.BranchMembers(branch_id, on)))

    @api.get("/branches/{branch_id}/households", dependencies=checked(q.BranchHouseholds))
    @reads_personal_data("assignment_planning")
    async def branch_households(
        branch_id: UnitPath, year: Annotated[int | None, Query(ge=1930, le=2100)] = None
    ) -> s.HouseholdsView:
        """The branch's households, each with its label and its holder in `year`'s plan
        (default this year), and its groups, routes and tasks with theirs. `read` at the
        branch."""
        found = await bus.run(q.BranchHouseholds(branch_id, year))
        return s.HouseholdsView.model_validate(found)

    @api.get("/branches/{branch_id}/followers", dependencies=checked(q.BranchFollowers))
    @reads_personal_data("monthly_meeting")
    async def branch_followers(
        branch_id: UnitPath, year: Annotated[int | None, Query(ge=1930, le=2100)] = None
    ) -> fs.FollowersView:
        """Who follows the branch from above in `year` (default this year): every higher
        committee member following the branch or a unit above it, by name, with the level
        the following records and the unit followed (the nearest, if several). The guests a
        meeting sheet offers. `read` at the branch."""
        found = await bus.run(q.BranchFollowers(branch_id, year))
        return fs.FollowersView.model_validate(found)
