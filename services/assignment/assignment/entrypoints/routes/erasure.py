"""The route of a data subject's erasure: decode the basis, run the command through the
boundary, answer what was stored (the same answer when it is sent again)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised

from ...domain import commands as c
from .. import erasure_schemas as s
from .params import UnitPath, accepted


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    @api.post(
        "/members/{member_id}/erasure",
        status_code=201,
        dependencies=[authorised(bus, c.EraseMember)],
    )
    async def erase(member_id: UnitPath, body: s.EraseMember) -> s.Accepted:
        """Erase the member's personal data (Law 91/2025 art. 14): a tombstone published
        for every service to scrub its copies, then the member's data key destroyed.
        Refused (409, naming the member, saying why and from when) while the Party keeps
        the record: until 5 years after it closes, unless it was entered in error."""
        return accepted(await bus.run(c.EraseMember(member_id, body.basis)))
