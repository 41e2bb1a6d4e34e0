"""Late corrections with their reason: the new marks supersede the old, both stay."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import CorrectAttendance
from ..loading import Loader


async def handle(command: CorrectAttendance, load: Loader) -> Saved:
    book, path = await load.book_of(command.meeting_id)
    roster = await load.roster_at(book, command.meeting_id)
    book.correct_attendance(command.meeting_id, command.marks, roster, reason=command.reason)
    return await load.save(book, path)
