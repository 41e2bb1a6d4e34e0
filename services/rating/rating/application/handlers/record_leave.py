"""Sick or maternity leave (no report is due in its months), in the member's private file."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import RecordLeave
from ...domain.member_file import MemberFile, file_id
from ..whereabouts import PlacedDeps


async def handle(command: RecordLeave, deps: PlacedDeps) -> Saved:
    branch_id, path = await deps.where.member_branch(command.member_id, command.year)
    file = await deps.repo.load(MemberFile, file_id(command.member_id, command.year))
    file.record_leave(
        branch_id=branch_id,
        kind=command.kind,
        from_date=command.from_date,
        to_date=command.to_date,
    )
    return await deps.repo.save([(file, path)])
