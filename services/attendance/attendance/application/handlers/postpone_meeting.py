"""A meeting moved later, with the reason."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import PostponeMeeting
from ..loading import Loader


async def handle(command: PostponeMeeting, load: Loader) -> Saved:
    book, path = await load.book_of(command.meeting_id)
    book.postpone(command.meeting_id, to_time=command.to_time, reason=command.reason)
    return await load.save(book, path)
