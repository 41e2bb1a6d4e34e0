"""A probationary member becomes a full member."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import ConfirmMember
from ..loading import Loader


async def handle(command: ConfirmMember, load: Loader) -> Saved:
    member = await load.member(command.member_id)
    path = await load.path(member.branch_id)
    member.confirm(command.on)
    return await load.repo.save([(member, path)])
