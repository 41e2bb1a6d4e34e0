"""A branch's held meetings with their sheets, as the read models stand now: the roster of
each meeting's day joined with the marks. Every view and fact is computed from this, so a
late membership event corrects them all at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chibo_contracts.meeting_quality import HeldMeeting, QualityFacts, SheetLine, line_state
from chibo_kernel.clock import local_date
from chibo_kernel.pool import LeanPool

from ...adapters.meeting_reader import marks_of
from ...adapters.roster_reader import rosters


@dataclass(frozen=True)
class Summary:
    """A meeting as recorded (its row of the `meetings` read model) and, once held, its
    quality facts as the roster now stands."""

    row: dict[str, Any]
    facts: QualityFacts | None


async def held_meetings(pool: LeanPool, branch_id: str, rows: Sequence[Any]) -> list[HeldMeeting]:
    """`rows` from `meeting_reader.meeting_rows`, oldest first; the held ones come back
    with their sheets."""
    held = [r for r in rows if r["status"] == "held"]
    if not held:
        return []
    by_meeting = await rosters(
        pool, branch_id, [(r["meeting_id"], local_date(r["started_at"])) for r in held]
    )
    marks: dict[str, dict[str, Any]] = defaultdict(dict)
    for mark in await marks_of(pool, [r["meeting_id"] for r in held]):
        marks[mark["meeting_id"]][mark["member_id"]] = mark
    result = []
    for row in held:
        meeting_id = row["meeting_id"]
        roster = by_meeting[meeting_id].for_meeting(row["kind"])
        sheet = marks.get(meeting_id, {})
        lines = []
        for entry in roster.entries.values():
            mark = sheet.get(entry.member_id)
            lines.append(
                SheetLine(
                    entry.member_id,
                    entry.full_name,
                    line_state(entry.standing, mark["status"] if mark else None),
                    mark["reason"] if mark else None,
                    bool(mark and mark["corrections"]),
                )
            )
        for member_id, mark in sheet.items():
            if member_id not in roster:
                lines.append(
                    SheetLine(
                        member_id,
                        mark["full_name"],
                        "off_roster",
                        mark["reason"],
                        bool(mark["corrections"]),
                    )
                )
        result.append(
            HeldMeeting(
                meeting_id=meeting_id,
                kind=row["kind"],
                month=row["month"],
                held_on=local_date(row["started_at"]),
                started_at=row["started_at"],
                ended_at=row["ended_at"],
                minutes_recorded=row["minutes_recorded"],
                prepared_by_committee=row["prepared_by_committee"],
                recorded=row["recorded"],
                lines=lines,
            )
        )
    return result
