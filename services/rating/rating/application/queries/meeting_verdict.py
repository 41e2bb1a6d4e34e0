"""One meeting's facts judged by the meeting-quality rules of its year (the rule set
`RuleSetOfYear` finds): reads nothing but the published rules, stores nothing."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.domain import Message

from ...domain.branch_record import MeetingFacts
from ...domain.meeting_verdict import Verdict, judged, require_consistent
from ..deps import Deps


@dataclass(frozen=True)
class MeetingVerdict(Message[Verdict]):
    year: int
    month: str  # YYYY-MM
    kind: str  # regular, thematic, combined (regular with a thematic part), …
    expected: int
    present: int
    absent_unexcused: int
    longest_absence_streak: int
    duration_minutes: int
    minutes_recorded: bool
    prepared_by_committee: bool


async def handle(query: MeetingVerdict, deps: Deps) -> Verdict:
    require_consistent(
        query.year, query.month, query.expected, query.present, query.absent_unexcused
    )
    facts = MeetingFacts(
        meeting_id="",
        month=query.month,
        kind=query.kind,
        # As a branch's year rates its meetings (`branch_year.py`): no one expected, no rate.
        attendance_rate=round(query.present / query.expected, 4) if query.expected else None,
        absent_unexcused=query.absent_unexcused,
        longest_absence_streak=query.longest_absence_streak,
        duration_minutes=query.duration_minutes,
        minutes_recorded=query.minutes_recorded,
        prepared_by_committee=query.prepared_by_committee,
    )
    return judged(facts, deps.rules.for_year(query.year).meeting_quality)
