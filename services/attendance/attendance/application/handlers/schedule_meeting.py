"""A meeting put in the branch's book for the year of its day."""

from __future__ import annotations

import uuid

from chibo_kernel.clock import local_date
from chibo_kernel.domain import Saved

from ...domain.commands import ScheduleMeeting
from ...domain.meeting_book import MeetingBook, book_id
from ..loading import Loader


async def handle(command: ScheduleMeeting, load: Loader) -> tuple[str, Saved]:
    unit = await load.meeting_unit(command.branch_id)
    year = local_date(command.scheduled_for).year
    # Its notes are not loaded: scheduling gives no reason to keep apart.
    book = await load.repo.load(MeetingBook, book_id(command.branch_id, year))
    book.branch_name = unit.name or unit.unit_id
    meeting_id = command.meeting_id or uuid.uuid4().hex
    book.schedule(
        meeting_id,
        kind=command.kind,
        scheduled_for=command.scheduled_for,
        place=command.place,
        topic=command.topic,
        extra_reason=command.extra_reason,
    )
    return meeting_id, await load.save(book, unit.path)
