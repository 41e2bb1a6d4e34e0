"""A meeting cancelled, with the reason."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import CancelMeeting
from ..loading import Loader


async def handle(command: CancelMeeting, load: Loader) -> Saved:
    book, path = await load.book_of(command.meeting_id)
    book.cancel(command.meeting_id, reason=command.reason)
    return await load.save(book, path)
