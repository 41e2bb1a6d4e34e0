"""Routes for members and their standing: decode the body into a command, run it through
the boundary, answer what was stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised

from ...domain import commands as c
from .. import member_schemas as s
from .params import UnitPath, accepted


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.post("/members", status_code=201, dependencies=checked(c.RegisterMember))
    async def register_member(body: s.RegisterMember) -> s.MemberAccepted:
        member_id, saved = await bus.run(c.RegisterMember(**body.model_dump()))
        return s.MemberAccepted(member_id=member_id, **accepted(saved).model_dump())

    @api.put("/members/{member_id}/identity", dependencies=checked(c.CorrectIdentity))
    async def correct_identity(member_id: UnitPath, body: s.CorrectIdentity) -> s.Accepted:
        """The right to correction (Law 91/2025/QH15 art. 4 cl. 1 c, art. 13): any of the
        name, card number and birth date, checked as at registration; `members` at the
        member's branch."""
        command = c.CorrectIdentity(member_id, body.full_name, body.card_number, body.birth_date)
        return accepted(await bus.run(command))

    @api.post("/members/{member_id}/roles", status_code=201, dependencies=checked(c.GiveRole))
    async def give_role(member_id: UnitPath, body: s.GiveRole) -> s.Accepted:
        return accepted(await bus.run(c.GiveRole(member_id, body.role, body.since)))

    @api.post(
        "/members/{member_id}/confirmation",
        status_code=201,
        dependencies=checked(c.ConfirmMember),
    )
    async def confirm(member_id: UnitPath, body: s.Confirm) -> s.Accepted:
        return accepted(await bus.run(c.ConfirmMember(member_id, body.on)))

    @api.post(
        "/members/{member_id}/exemption", status_code=201, dependencies=checked(c.ExemptMember)
    )
    async def exempt(member_id: UnitPath, body: s.Exempt) -> s.Accepted:
        command = c.ExemptMember(member_id, body.from_date, body.to_date, body.reason)
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/suspension", status_code=201, dependencies=checked(c.SuspendMember)
    )
    async def suspend(member_id: UnitPath, body: s.Suspend) -> s.Accepted:
        command = c.SuspendMember(member_id, body.from_date, body.to_date, body.reason)
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/departure", status_code=201, dependencies=checked(c.MemberLeaves)
    )
    async def leave(member_id: UnitPath, body: s.Leave) -> s.Accepted:
        return accepted(await bus.run(c.MemberLeaves(member_id, body.on, body.reason)))

    @api.post(
        "/members/{member_id}/temporary-attendance",
        status_code=201,
        dependencies=checked(c.AttendTemporarily),
    )
    async def attend_temporarily(member_id: UnitPath, body: s.TemporaryAttendance) -> s.Accepted:
        command = c.AttendTemporarily(member_id, body.host_branch_id, body.from_date, body.to_date)
        return accepted(await bus.run(command))

    @api.post(
        "/members/{member_id}/transfer", status_code=201, dependencies=checked(c.TransferMember)
    )
    async def transfer(member_id: UnitPath, body: s.Transfer) -> s.Accepted:
        """`members` at the member's branch and at the branch they move to."""
        return accepted(await bus.run(c.TransferMember(member_id, body.to_branch_id, body.on)))
