"""A competent body's conclusion about a member, in the member's private file."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import RecordConclusion
from ...domain.member_file import MemberFile, file_id
from ..deps import Deps
from ..loading import member_place


async def handle(command: RecordConclusion, deps: Deps) -> Saved:
    branch_id, path = await member_place(deps, command.member_id, command.year)
    file = await deps.repo.load(MemberFile, file_id(command.member_id, command.year))
    file.record_conclusion(
        branch_id=branch_id,
        kind=command.kind,
        concluded_on=command.concluded_on,
        concluded_by=command.concluded_by,
        reason=command.reason,
    )
    return await deps.repo.save([(file, path)])
