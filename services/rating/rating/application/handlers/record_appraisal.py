"""The branch committee's appraisal of a member, in the branch's rating book."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.cohort import CohortBook, book_id
from ...domain.commands import RecordAppraisal
from ..whereabouts import PlacedDeps


async def handle(command: RecordAppraisal, deps: PlacedDeps) -> Saved:
    branch_id, path = await deps.where.member_branch(command.member_id, command.year)
    book = await deps.repo.load(CohortBook, book_id(branch_id, command.year))
    book.record_appraisal(command.member_id, level=command.level, note=command.note)
    return await deps.repo.save([(book, path)])
