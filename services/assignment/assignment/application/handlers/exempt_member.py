"""Exemption from work and meetings; the households the member held are released, and the
reason kept beside the member's stream, in the same append."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import ExemptMember
from ...domain.policies import when_member_is_exempted_release_households
from ...domain.private_texts import StandingReasons
from ..loading import Loader


async def handle(command: ExemptMember, load: Loader) -> Saved:
    member = await load.member(command.member_id)
    reasons = await load.repo.load(StandingReasons, member.id)
    path = await load.path(member.branch_id)
    plan = await load.plan_if_any(member.branch_id, command.from_date.year)
    when_member_is_exempted_release_households(
        member,
        from_date=command.from_date,
        to_date=command.to_date,
        reason=command.reason,
        reasons=reasons,
        plan=plan,
    )
    changed = [member, reasons, *([plan] if plan else [])]
    return await load.repo.save([(aggregate, path) for aggregate in changed])
