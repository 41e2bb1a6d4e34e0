"""The branch committee's appraisal of a member, in the branch's rating book; its note in
the book's notes."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import RecordAppraisal
from ..books import load_book, save_book
from ..whereabouts import PlacedDeps


async def handle(command: RecordAppraisal, deps: PlacedDeps) -> Saved:
    branch_id, path = await deps.where.member_branch(command.member_id, command.year)
    book = await load_book(deps.repo, branch_id, command.year)
    book.record_appraisal(command.member_id, level=command.level, note=command.note)
    return await save_book(deps.repo, book, path)
