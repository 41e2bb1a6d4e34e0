"""Routes for mentoring, following from above and visit quotas."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from chibo_kernel.auth import Permission
from chibo_kernel.pool import LeanPool

from ...application.command_groups import Handlers
from ...application.queries import mentoring, visit_quotas
from .. import following_schemas as s
from .params import UnitPath, Year, accepted
from .places import Places, at


def add_routes(
    api: APIRouter, handlers: Handlers, pool: Callable[[], LeanPool], places: Places
) -> None:
    branch = places.unit("branch_id")
    province = places.unit("province_id")

    @api.post(
        "/branches/{branch_id}/plans/{year}/mentors",
        status_code=201,
        dependencies=[at(Permission.BRANCH_WORK, branch)],
    )
    async def assign_mentor(branch_id: UnitPath, year: Year, body: s.AssignMentor) -> s.Accepted:
        saved = await handlers.assign_mentor(branch_id, year, body.mentor_id, body.member_ids)
        return accepted(saved)

    @api.get(
        "/branches/{branch_id}/plans/{year}/mentors", dependencies=[at(Permission.READ, branch)]
    )
    async def mentors(branch_id: UnitPath, year: Year) -> s.MentoringView:
        return s.MentoringView.model_validate(await mentoring(pool(), branch_id, year))

    @api.post(
        "/followers/{member_id}/years/{year}",
        status_code=201,
        dependencies=[at(Permission.FOLLOW, places.member(), places.body_units("unit_ids"))],
    )
    async def assign_following(
        member_id: UnitPath, year: Year, body: s.AssignFollowing
    ) -> s.Accepted:
        """`follow` at the follower's branch and at every unit followed."""
        return accepted(
            await handlers.assign_following(
                member_id, level=body.level, year=year, unit_ids=body.unit_ids
            )
        )

    @api.post(
        "/units/{province_id}/visit-quotas",
        status_code=201,
        dependencies=[at(Permission.ORGANISE, province)],
    )
    async def set_quota(province_id: UnitPath, body: s.SetQuota) -> s.Accepted:
        return accepted(await handlers.set_visit_quota(province_id, **body.model_dump()))

    @api.get("/units/{province_id}/visit-quotas", dependencies=[at(Permission.READ, province)])
    async def quotas(
        province_id: UnitPath, on: Annotated[date | None, Query()] = None
    ) -> list[s.QuotaInForce]:
        rows = await visit_quotas(pool(), province_id, on or date.today())
        return [s.QuotaInForce.model_validate(r) for r in rows]
