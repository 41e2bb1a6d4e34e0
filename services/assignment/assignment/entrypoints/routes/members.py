"""Routes for members and their standing."""

from __future__ import annotations

from fastapi import APIRouter

from ...application.handlers import Handlers
from .. import schemas as s
from .params import UnitPath, accepted


def add_routes(api: APIRouter, handlers: Handlers) -> None:
    @api.post("/members", status_code=201)
    async def register_member(body: s.RegisterMember) -> s.MemberAccepted:
        member_id, saved = await handlers.register_member(**body.model_dump())
        return s.MemberAccepted(member_id=member_id, **accepted(saved).model_dump())

    @api.post("/members/{member_id}/roles", status_code=201)
    async def give_role(member_id: UnitPath, body: s.GiveRole) -> s.Accepted:
        return accepted(await handlers.give_role(member_id, body.role, body.since))

    @api.post("/members/{member_id}/confirmation", status_code=201)
    async def confirm(member_id: UnitPath, body: s.Confirm) -> s.Accepted:
        return accepted(await handlers.confirm_member(member_id, body.on))

    @api.post("/members/{member_id}/exemption", status_code=201)
    async def exempt(member_id: UnitPath, body: s.Exempt) -> s.Accepted:
        return accepted(await handlers.exempt_member(member_id, **body.model_dump()))

    @api.post("/members/{member_id}/suspension", status_code=201)
    async def suspend(member_id: UnitPath, body: s.Suspend) -> s.Accepted:
        return accepted(await handlers.suspend_member(member_id, **body.model_dump()))

    @api.post("/members/{member_id}/departure", status_code=201)
    async def leave(member_id: UnitPath, body: s.Leave) -> s.Accepted:
        return accepted(await handlers.member_leaves(member_id, on=body.on, reason=body.reason))

    @api.post("/members/{member_id}/temporary-attendance", status_code=201)
    async def attend_temporarily(member_id: UnitPath, body: s.TemporaryAttendance) -> s.Accepted:
        return accepted(await handlers.attend_temporarily(member_id, **body.model_dump()))

    @api.post("/members/{member_id}/transfer", status_code=201)
    async def transfer(member_id: UnitPath, body: s.Transfer) -> s.Accepted:
        return accepted(
            await handlers.transfer_member(member_id, to_branch_id=body.to_branch_id, on=body.on)
        )
