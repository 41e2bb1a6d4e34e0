"""A role in the branch (secretary, deputy, committee member) from a date."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import GiveRole
from ..loading import Loader


async def handle(command: GiveRole, load: Loader) -> Saved:
    member = await load.member(command.member_id)
    path = await load.path(member.branch_id)
    member.give_role(command.role, command.since)
    return await load.repo.save([(member, path)])
