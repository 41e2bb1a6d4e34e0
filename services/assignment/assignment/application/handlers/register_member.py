"""A new member, with their identity (card number, birth date) kept on its own stream."""

from __future__ import annotations

import uuid

from chibo_kernel.domain import Saved

from ...domain.commands import RegisterMember
from ...domain.identity import MemberIdentity
from ...domain.member import Member
from ..loading import Loader


async def handle(command: RegisterMember, load: Loader) -> tuple[str, Saved]:
    branch = await load.holder(command.branch_id)
    member = await load.repo.load(Member, command.member_id or uuid.uuid4().hex)
    member.register(
        full_name=command.full_name,
        branch=branch,
        admission_date=command.admission_date,
        status=command.status,
    )
    # New with the member: both streams are appended at once, so neither exists yet.
    identity = MemberIdentity(member.id)
    identity.record(member, card_number=command.card_number, birth_date=command.birth_date)
    saved = await load.repo.save([(member, branch.path), (identity, branch.path)])
    return member.id, saved
