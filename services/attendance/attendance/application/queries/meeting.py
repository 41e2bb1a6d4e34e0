"""A meeting with its sheet line by line, its guests and its quality facts."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_contracts.meeting_quality import SheetLine, quality_facts
from chibo_kernel.domain import Message
from chibo_kernel.errors import NotFound

from ...adapters.meeting_reader import GuestRow, guests_at, meeting_row, meeting_rows
from .history import Summary, held_meetings
from .reading import Reads


@dataclass(frozen=True)
class MeetingAnswer:
    summary: Summary
    lines: list[SheetLine]  # empty until it is held
    guests: list[GuestRow]


@dataclass(frozen=True)
class MeetingDetail(Message[MeetingAnswer]):
    meeting_id: str


async def handle(query: MeetingDetail, reads: Reads) -> MeetingAnswer:
    meeting_id = query.meeting_id
    row = await meeting_row(reads.pool, meeting_id)
    if row is None:
        raise NotFound(f"meeting {meeting_id}", f"cuộc họp {meeting_id}")
    # Streaks run across the new year, so the year before is read too.
    rows = await meeting_rows(reads.pool, row.branch_id, [row.year - 1, row.year])
    held = await held_meetings(reads.pool, row.branch_id, rows)
    facts = quality_facts(held)
    sheet = next((h for h in held if h.meeting_id == meeting_id), None)
    guests = await guests_at(reads.pool, meeting_id)
    return MeetingAnswer(
        Summary(row, facts.get(meeting_id)),
        list(sheet.lines) if sheet else [],
        guests,
    )
