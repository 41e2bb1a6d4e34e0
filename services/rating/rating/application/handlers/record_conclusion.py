"""A competent body's conclusion about a member, in the member's private file."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import RecordConclusion
from ...domain.member_file import MemberFile, file_id
from ..signer import signer
from ..whereabouts import PlacedDeps


async def handle(command: RecordConclusion, deps: PlacedDeps) -> Saved:
    branch_id, path = await deps.where.member_branch(command.member_id, command.year)
    file = await deps.repo.load(MemberFile, file_id(command.member_id, command.year))
    file.record_conclusion(
        branch_id=branch_id,
        kind=command.kind,
        concluded_on=command.concluded_on,
        concluded_by=await signer(deps.where),
        reason=command.reason,
    )
    return await deps.repo.save([(file, path)])
