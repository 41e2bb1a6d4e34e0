"""One module per command; `bind` gives the boundary each handler with what it loads from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from ...domain import commands as c
from ..loading import Loader
from . import (
    attend_temporarily,
    confirm_member,
    exempt_member,
    give_role,
    member_leaves,
    register_member,
    suspend_member,
    transfer_member,
)

HANDLERS: dict[type, Callable[..., Awaitable[Any]]] = {
    c.RegisterMember: register_member.handle,
    c.GiveRole: give_role.handle,
    c.ConfirmMember: confirm_member.handle,
    c.ExemptMember: exempt_member.handle,
    c.SuspendMember: suspend_member.handle,
    c.MemberLeaves: member_leaves.handle,
    c.AttendTemporarily: attend_temporarily.handle,
    c.TransferMember: transfer_member.handle,
}


def bind(load: Loader) -> dict[type, Callable[[Any], Awaitable[Any]]]:
    return {kind: partial(handle, load=load) for kind, handle in HANDLERS.items()}
