"""Sinh hoạt tạm thời: the home branch's plans of the period release what the member
held, in the same append."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import AttendTemporarily
from ...domain.policies import when_member_attends_elsewhere_release_households
from ..loading import Loader


async def handle(command: AttendTemporarily, load: Loader) -> Saved:
    member = await load.member(command.member_id)
    path = await load.path(member.branch_id)
    host = await load.holder(command.host_branch_id)
    plans = [
        plan
        for year in range(command.from_date.year, command.to_date.year + 1)
        if (plan := await load.plan_if_any(member.branch_id, year)) is not None
    ]
    when_member_attends_elsewhere_release_households(
        member, host, from_date=command.from_date, to_date=command.to_date, plans=plans
    )
    return await load.repo.save([(member, path), *((plan, path) for plan in plans)])
