"""Meeting quality facts (HD 12-HD/BTCTW and the provinces' tightenings) and the Charter
art. 8 flag, from each meeting's sheet lines.

Shared by the attendance service (which shows them) and the rating service (which judges
them against its policy): both must count a meeting the same way. Facts only: whether 85% is
enough is the rating service's policy. The attendance service builds the lines from the
roster of the meeting's day as it stands now, so a late membership event changes them the
moment it is projected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from chibo_contracts.attendance import AttendanceStatus, MeetingKind
from chibo_contracts.charter import removal_months

LONG_MEETING_MINUTES = 90
# "vắng quá 3 lần liên tiếp": a streak longer than this is a fact the meeting reports.
STREAK_LIMIT = 3
# Charter art. 8: months in a year absent without good reason, not necessarily in a row.
REMOVAL_REVIEW_MONTHS = removal_months()

LineState = Literal[
    "present",
    "absent_excused",
    "absent_unexcused",
    "not_recorded",  # expected, but the sheet has no mark (e.g. their transfer arrived late)
    "exempt",
    "suspended",
    "away",
    "off_roster",  # marked, but no longer on the roster for that day
]


@dataclass(frozen=True, slots=True)
class SheetLine:
    member_id: str
    full_name: str
    state: LineState
    reason: str | None = None
    corrected: bool = False

    @property
    def expected(self) -> bool:
        return self.state in ("present", "absent_excused", "absent_unexcused", "not_recorded")


def line_state(standing: str | None, status: AttendanceStatus | None) -> LineState:
    """Standing on the roster (None: not on it) and the mark (None: none) → the line."""
    if standing is None:
        return "off_roster"
    if standing != "expected":
        return standing  # type: ignore[return-value]
    return status or "not_recorded"


@dataclass(frozen=True, slots=True)
class HeldMeeting:
    meeting_id: str
    kind: MeetingKind
    month: str
    held_on: date
    started_at: datetime
    ended_at: datetime
    minutes_recorded: bool
    prepared_by_committee: bool
    recorded: bool
    lines: Sequence[SheetLine]


@dataclass(frozen=True, slots=True)
class QualityFacts:
    expected: int
    present: int
    absent_excused: int
    absent_unexcused: int
    not_recorded: int
    attendance_rate: float | None  # present / expected; None until the sheet is recorded
    duration_minutes: int
    at_least_90_minutes: bool
    minutes_recorded: bool
    prepared_by_committee: bool
    absent_more_than_3_in_a_row: list[str]


def quality_facts(meetings: Sequence[HeldMeeting]) -> dict[str, QualityFacts]:
    """Facts for each held meeting; `meetings` are one branch's, oldest first. Streaks run
    over the branch's meetings the member was expected at (committee meetings aside)."""
    streaks: dict[str, int] = defaultdict(int)
    facts: dict[str, QualityFacts] = {}
    for meeting in meetings:
        counted = meeting.recorded
        states = [line.state for line in meeting.lines if line.expected]
        if counted and meeting.kind != "committee":
            for line in meeting.lines:
                if line.state in ("absent_excused", "absent_unexcused"):
                    streaks[line.member_id] += 1
                elif line.state == "present":
                    streaks[line.member_id] = 0
        long_absent = sorted(
            line.member_id
            for line in meeting.lines
            if line.expected and streaks[line.member_id] > STREAK_LIMIT
        )
        minutes = int((meeting.ended_at - meeting.started_at).total_seconds() // 60)
        present = states.count("present")
        facts[meeting.meeting_id] = QualityFacts(
            expected=len(states),
            present=present,
            absent_excused=states.count("absent_excused"),
            absent_unexcused=states.count("absent_unexcused"),
            not_recorded=states.count("not_recorded"),
            attendance_rate=round(present / len(states), 4) if counted and states else None,
            duration_minutes=minutes,
            at_least_90_minutes=minutes >= LONG_MEETING_MINUTES,
            minutes_recorded=meeting.minutes_recorded,
            prepared_by_committee=meeting.prepared_by_committee,
            absent_more_than_3_in_a_row=long_absent if meeting.kind != "committee" else [],
        )
    return facts


def unexcused_months(meetings: Sequence[HeldMeeting]) -> dict[str, list[str]]:
    """Each member's months with an absence without good reason, in order."""
    months: dict[str, set[str]] = defaultdict(set)
    for meeting in meetings:
        if meeting.kind == "committee":
            continue
        for line in meeting.lines:
            if line.state == "absent_unexcused":
                months[line.member_id].add(meeting.month)
    return {member: sorted(found) for member, found in months.items()}


def removal_review(meetings: Sequence[HeldMeeting]) -> dict[str, list[str]]:
    """Members to propose for removal under art. 8, with the months listed."""
    return {
        member: found
        for member, found in unexcused_months(meetings).items()
        if len(found) >= REMOVAL_REVIEW_MONTHS
    }
