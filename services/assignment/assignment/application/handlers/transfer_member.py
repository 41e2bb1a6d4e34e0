"""A transfer to another branch; the households held in the old one are released."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import TransferMember
from ...domain.policies import when_member_transfers_release_households
from ..loading import Loader


async def handle(command: TransferMember, load: Loader) -> Saved:
    member = await load.member(command.member_id)
    from_path = await load.path(member.branch_id)
    plan = await load.plan_if_any(member.branch_id, command.on.year)
    to_branch = await load.holder(command.to_branch_id)
    when_member_transfers_release_households(member, to_branch, command.on, plan)
    return await load.repo.save([(member, from_path), *([(plan, from_path)] if plan else [])])
