"""HTTP routes: decode, call a handler, encode; nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from chibo_kernel.pool import LeanPool

from ..application.handlers import Handlers
from ..application.queries import plan_coverage
from ..application.repository import Saved
from . import schemas as s

UnitPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Year = Annotated[int, Path(ge=1930, le=2100)]


def accepted(saved: Saved) -> s.Accepted:
    return s.Accepted(versions=saved.versions, event_ids=saved.event_ids)


def router(handlers: Handlers, pool: Callable[[], LeanPool]) -> APIRouter:
    api = APIRouter(prefix="/v1")

    @api.post("/units", status_code=201)
    async def create_unit(body: s.CreateUnit) -> s.Accepted:
        return accepted(
            await handlers.create_unit(
                body.unit_id,
                kind=body.kind,
                name=body.name,
                parent_id=body.parent_id,
                valid_from=body.valid_from,
            )
        )

    @api.post("/members", status_code=201)
    async def register_member(body: s.RegisterMember) -> s.MemberAccepted:
        member_id, saved = await handlers.register_member(**body.model_dump())
        return s.MemberAccepted(member_id=member_id, **accepted(saved).model_dump())

    @api.post("/members/{member_id}/roles", status_code=201)
    async def give_role(member_id: UnitPath, body: s.GiveRole) -> s.Accepted:
        return accepted(await handlers.give_role(member_id, body.role, body.since))

    @api.post("/members/{member_id}/exemption", status_code=201)
    async def exempt(member_id: UnitPath, body: s.Exempt) -> s.Accepted:
        return accepted(await handlers.exempt_member(member_id, **body.model_dump()))

    @api.post("/members/{member_id}/transfer", status_code=201)
    async def transfer(member_id: UnitPath, body: s.Transfer) -> s.Accepted:
        return accepted(
            await handlers.transfer_member(member_id, to_branch_id=body.to_branch_id, on=body.on)
        )

    @api.post("/branches/{branch_id}/households", status_code=201)
    async def register_households(branch_id: UnitPath, body: s.RegisterHouseholds) -> s.Accepted:
        pairs = [(h.household_id, h.label) for h in body.households]
        return accepted(await handlers.register_households(branch_id, pairs))

    @api.post("/branches/{branch_id}/plans/{year}", status_code=201)
    async def draft_plan(branch_id: UnitPath, year: Year, body: s.DraftPlan) -> s.Accepted:
        household_range = (body.min_households, body.max_households)
        return accepted(await handlers.draft_plan(branch_id, year, household_range))

    @api.post("/branches/{branch_id}/plans/{year}/assignments", status_code=201)
    async def assign(branch_id: UnitPath, year: Year, body: s.Assign) -> s.Accepted:
        pairs = [(a.member_id, a.household_ids) for a in body.assignments]
        return accepted(await handlers.assign(branch_id, year, pairs))

    @api.post("/branches/{branch_id}/plans/{year}/adoption", status_code=201)
    async def adopt(branch_id: UnitPath, year: Year, body: s.Adopt) -> s.Accepted:
        return accepted(
            await handlers.adopt_plan(
                branch_id,
                year,
                resolution_number=body.resolution_number,
                adopted_on=body.adopted_on,
            )
        )

    @api.get("/branches/{branch_id}/plans/{year}/coverage")
    async def coverage(
        branch_id: UnitPath, year: Year, on: Annotated[date | None, Query()] = None
    ) -> s.CoverageView:
        result = await plan_coverage(pool(), branch_id, year, on or date(year, 12, 31))
        c = result.coverage
        return s.CoverageView(
            members=c.members_text,
            households=c.households_text,
            members_without_households=c.members_without_households,
            households_without_member=c.households_without_member,
            released=result.released,
        )

    return api
