"""A whole meeting's sheet, checked against the roster of the day it was held."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import RecordAttendance
from ..loading import Loader


async def handle(command: RecordAttendance, load: Loader) -> Saved:
    book, path = await load.book_of(command.meeting_id)
    roster = await load.roster_at(book, command.meeting_id)
    visits = await load.visits(command.guests, path, book.year)
    book.record_attendance(command.meeting_id, command.marks, roster, visits)
    return await load.save(book, path)
