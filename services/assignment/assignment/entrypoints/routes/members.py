"""Routes for members and their standing: `members` at the member's branch."""

from __future__ import annotations

from fastapi import APIRouter

from chibo_kernel.auth import Permission

from ...application.handlers import Handlers
from .. import member_schemas as s
from .params import UnitPath, accepted
from .places import Places, at, in_body

MEMBERS = Permission.MEMBERS


def add_routes(api: APIRouter, handlers: Handlers, places: Places) -> None:
    guarded = [at(MEMBERS, places.member())]

    @api.post("/members", status_code=201, dependencies=[in_body(MEMBERS, places.branch_in_body())])
    async def register_member(body: s.RegisterMember) -> s.MemberAccepted:
        member_id, saved = await handlers.register_member(**body.model_dump())
        return s.MemberAccepted(member_id=member_id, **accepted(saved).model_dump())

    @api.post("/members/{member_id}/roles", status_code=201, dependencies=guarded)
    async def give_role(member_id: UnitPath, body: s.GiveRole) -> s.Accepted:
        return accepted(await handlers.give_role(member_id, body.role, body.since))

    @api.post("/members/{member_id}/confirmation", status_code=201, dependencies=guarded)
    async def confirm(member_id: UnitPath, body: s.Confirm) -> s.Accepted:
        return accepted(await handlers.confirm_member(member_id, body.on))

    @api.post("/members/{member_id}/exemption", status_code=201, dependencies=guarded)
    async def exempt(member_id: UnitPath, body: s.Exempt) -> s.Accepted:
        return accepted(await handlers.exempt_member(member_id, **body.model_dump()))

    @api.post("/members/{member_id}/suspension", status_code=201, dependencies=guarded)
    async def suspend(member_id: UnitPath, body: s.Suspend) -> s.Accepted:
        return accepted(await handlers.suspend_member(member_id, **body.model_dump()))

    @api.post("/members/{member_id}/departure", status_code=201, dependencies=guarded)
    async def leave(member_id: UnitPath, body: s.Leave) -> s.Accepted:
        return accepted(await handlers.member_leaves(member_id, on=body.on, reason=body.reason))

    @api.post("/members/{member_id}/temporary-attendance", status_code=201, dependencies=guarded)
    async def attend_temporarily(member_id: UnitPath, body: s.TemporaryAttendance) -> s.Accepted:
        return accepted(await handlers.attend_temporarily(member_id, **body.model_dump()))

    @api.post(
        "/members/{member_id}/transfer",
        status_code=201,
        dependencies=[at(MEMBERS, places.member(), places.body_units("to_branch_id"))],
    )
    async def transfer(member_id: UnitPath, body: s.Transfer) -> s.Accepted:
        """`members` at the member's branch and at the branch they move to."""
        return accepted(
            await handlers.transfer_member(member_id, to_branch_id=body.to_branch_id, on=body.on)
        )
