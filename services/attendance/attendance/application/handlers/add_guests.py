"""Higher committee members who attended, each marked by whether the branch lies under a
unit they follow."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import AddGuests
from ..loading import Loader


async def handle(command: AddGuests, load: Loader) -> Saved:
    book, path = await load.book_of(command.meeting_id)
    roster = await load.roster_at(book, command.meeting_id)
    visits = await load.visits(command.guests, path, book.year)
    book.add_guests(command.meeting_id, visits, roster)
    return await load.save(book, path)
