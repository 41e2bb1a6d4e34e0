"""Routes for mentoring, following from above and visit quotas: decode, run through the
boundary, encode."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, reads_personal_data

from ...application import queries as q
from ...domain import commands as c
from .. import following_schemas as s
from .params import UnitPath, Year, accepted


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.post(
        "/branches/{branch_id}/plans/{year}/mentors",
        status_code=201,
        dependencies=checked(c.AssignMentor),
    )
    async def assign_mentor(branch_id: UnitPath, year: Year, body: s.AssignMentor) -> s.Accepted:
        command = c.AssignMentor(branch_id, year, body.mentor_id, tuple(body.member_ids))
        return accepted(await bus.run(command))

    @api.get("/branches/{branch_id}/plans/{year}/mentors", dependencies=checked(q.Mentoring))
    @reads_personal_data("assignment_planning")
    async def mentors(branch_id: UnitPath, year: Year) -> s.MentoringView:
        return s.MentoringView.model_validate(await bus.run(q.Mentoring(branch_id, year)))

    @api.post(
        "/followers/{member_id}/years/{year}",
        status_code=201,
        dependencies=checked(c.AssignFollowing),
    )
    async def assign_following(
        member_id: UnitPath, year: Year, body: s.AssignFollowing
    ) -> s.Accepted:
        """`follow` at the follower's branch and at every unit followed."""
        command = c.AssignFollowing(member_id, year, body.level, tuple(body.unit_ids))
        return accepted(await bus.run(command))

    @api.post(
        "/units/{province_id}/visit-quotas",
        status_code=201,
        dependencies=checked(c.SetVisitQuota),
    )
    async def set_quota(province_id: UnitPath, body: s.SetQuota) -> s.Accepted:
        return accepted(await bus.run(c.SetVisitQuota(province_id, **body.model_dump())))

    @api.get("/units/{province_id}/visit-quotas", dependencies=checked(q.VisitQuotas))
    async def quotas(
        province_id: UnitPath, on: Annotated[date | None, Query()] = None
    ) -> list[s.QuotaInForce]:
        rows = await bus.run(q.VisitQuotas(province_id, on))
        return [s.QuotaInForce.model_validate(r) for r in rows]
