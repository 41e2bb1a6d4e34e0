"""The branch committee's appraisal of a member, in the branch's rating book."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.cohort import CohortBook, book_id
from ...domain.commands import RecordAppraisal
from ..deps import Deps
from ..loading import member_place


async def handle(command: RecordAppraisal, deps: Deps) -> Saved:
    branch_id, path = await member_place(deps, command.member_id, command.year)
    book = await deps.repo.load(CohortBook, book_id(branch_id, command.year))
    book.record_appraisal(command.member_id, level=command.level, note=command.note)
    return await deps.repo.save([(book, path)])
