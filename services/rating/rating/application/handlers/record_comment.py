"""A host branch's or residence organisation's comment, in the member's private file."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import RecordComment
from ...domain.member_file import MemberFile, file_id
from ..whereabouts import PlacedDeps


async def handle(command: RecordComment, deps: PlacedDeps) -> Saved:
    branch_id, path = await deps.where.member_branch(command.member_id, command.year)
    file = await deps.repo.load(MemberFile, file_id(command.member_id, command.year))
    file.record_comment(
        branch_id=branch_id,
        source=command.source,
        from_unit=command.from_unit,
        comment=command.comment,
        commented_on=command.commented_on,
    )
    return await deps.repo.save([(file, path)])
