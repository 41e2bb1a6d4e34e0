"""A branch's held meetings with their sheets, as the read models stand now: the roster of
each meeting's day joined with the marks. Every view and fact is computed from this, so a
late membership event corrects them all at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from chibo_contracts.meeting_quality import HeldMeeting, QualityFacts, SheetLine, line_state
from chibo_kernel.clock import local_date
from chibo_kernel.pool import LeanPool

from ...adapters.meeting_reader import MarkRow, MeetingRow, marks_of
from ...adapters.roster_reader import rosters
from ...domain.roster import Roster


@dataclass(frozen=True)
class Summary:
    """A meeting as recorded (its row of the `meetings` read model) and, once held, its
    quality facts as the roster now stands."""

    row: MeetingRow
    facts: QualityFacts | None


@dataclass(frozen=True)
class _Held:
    """A held meeting's row with what holding it recorded, no longer optional."""

    row: MeetingRow
    started_at: datetime
    ended_at: datetime
    minutes_recorded: bool
    prepared_by_committee: bool


def _held(rows: Sequence[MeetingRow]) -> list[_Held]:
    return [
        _Held(r, r.started_at, r.ended_at, bool(r.minutes_recorded), bool(r.prepared_by_committee))
        for r in rows
        if r.status == "held" and r.started_at is not None and r.ended_at is not None
    ]


async def held_meetings(
    pool: LeanPool, branch_id: str, rows: Sequence[MeetingRow]
) -> list[HeldMeeting]:
    """`rows` from `meeting_reader.meeting_rows`, oldest first; the held ones come back
    with their sheets."""
    held = _held(rows)
    if not held:
        return []
    by_meeting = await rosters(
        pool, branch_id, [(h.row.meeting_id, local_date(h.started_at)) for h in held]
    )
    marks: dict[str, dict[str, MarkRow]] = defaultdict(dict)
    for mark in await marks_of(pool, [h.row.meeting_id for h in held]):
        marks[mark.meeting_id][mark.member_id] = mark
    return [
        HeldMeeting(
            meeting_id=h.row.meeting_id,
            kind=h.row.kind,
            month=h.row.month,
            held_on=local_date(h.started_at),
            started_at=h.started_at,
            ended_at=h.ended_at,
            minutes_recorded=h.minutes_recorded,
            prepared_by_committee=h.prepared_by_committee,
            recorded=h.row.recorded,
            lines=_lines(
                by_meeting[h.row.meeting_id].for_meeting(h.row.kind), marks[h.row.meeting_id]
            ),
        )
        for h in held
    ]


def _lines(roster: Roster, sheet: Mapping[str, MarkRow]) -> list[SheetLine]:
    """The roster's members in its order, then anyone marked who is not on it."""
    lines = []
    for entry in roster.entries.values():
        mark = sheet.get(entry.member_id)
        lines.append(
            SheetLine(
                entry.member_id,
                entry.full_name,
                line_state(entry.standing, mark.status if mark else None),
                mark.reason if mark else None,
                bool(mark and mark.corrections),
            )
        )
    for member_id, mark in sheet.items():
        if member_id not in roster:
            lines.append(
                SheetLine(
                    member_id, mark.full_name, "off_roster", mark.reason, bool(mark.corrections)
                )
            )
    return lines
