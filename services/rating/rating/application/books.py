"""A unit's rating book loaded with its notes and saved with them in one append: the
commands whose events come with texts about a member (an appraisal, a decision, a
cancellation) record those texts in the notes (`domain/cohort_notes.py`)."""

from __future__ import annotations

from chibo_kernel.domain import Repository, Saved

from ..domain.cohort import CohortBook, book_id
from ..domain.cohort_notes import CohortNotes


async def load_book(repo: Repository, unit_id: str, year: int) -> CohortBook:
    book = await repo.load(CohortBook, book_id(unit_id, year))
    book.notes = await repo.load(CohortNotes, book.id)
    return book


async def save_book(repo: Repository, book: CohortBook, path: list[str]) -> Saved:
    """The book and its notes, both filed under `path`."""
    return await repo.save([(book, path), (book.notes, path)])
