"""Held, and (for the secretary entering it all at once) the sheet and the guests, in one
transaction."""

from __future__ import annotations

from chibo_kernel.clock import local_date
from chibo_kernel.domain import Saved

from ...domain.commands import HoldMeeting
from ..loading import Loader


async def handle(command: HoldMeeting, load: Loader) -> Saved:
    meeting_id = command.meeting_id
    book, path = await load.book_of(meeting_id)
    roster = await load.roster_on(book.branch_id, local_date(command.started_at))
    book.hold(
        meeting_id,
        started_at=command.started_at,
        ended_at=command.ended_at,
        place=command.place,
        chair_id=command.chair_id,
        minutes_recorded=command.minutes_recorded,
        prepared_by_committee=command.prepared_by_committee,
        now=load.clock(),
        roster=roster,
    )
    visits = await load.visits(command.guests, path, book.year)
    if command.attendance is not None:
        book.record_attendance(meeting_id, command.attendance, roster, visits)
    elif visits:
        book.add_guests(meeting_id, visits, roster)
    return await load.save(book, path)
