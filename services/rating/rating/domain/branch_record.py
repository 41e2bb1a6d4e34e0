"""A branch's year as the records show it, and its meetings judged against the year's
meeting-quality rules (HD 12-HD/BTCTW and what a province tightens)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chibo_contracts.rating import Level

from .rule_set import MeetingQuality


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    meeting_id: str
    month: str
    kind: str  # regular, thematic, combined (regular with a thematic part), committee
    attendance_rate: float | None  # None: no sheet recorded
    absent_unexcused: int
    longest_absence_streak: int  # the longest run of absences in a row at this meeting
    duration_minutes: int
    minutes_recorded: bool
    prepared_by_committee: bool


def judge_meeting(meeting: MeetingFacts, rules: MeetingQuality) -> dict[str, bool]:
    """Each check of a meeting "đạt chất lượng"; the meeting is of quality when all hold."""
    minimum = rules.min_minutes_with_thematic if meeting.kind == "combined" else rules.min_minutes
    if rules.minutes_from is not None and meeting.month < rules.minutes_from.value:
        minimum = None  # held before the guidance that set a minimum length
    return {
        "attendance": meeting.attendance_rate is not None
        and meeting.attendance_rate > rules.attendance_above.value,
        "no_unexcused": meeting.absent_unexcused <= rules.max_unexcused.value,
        "nobody_absent_in_a_row": meeting.longest_absence_streak <= rules.max_absent_in_a_row.value,
        "duration": minimum is None or meeting.duration_minutes >= minimum.value,
        "minutes": meeting.minutes_recorded or not rules.minutes_required.value,
        "prepared": meeting.prepared_by_committee or not rules.prepared_required.value,
    }


@dataclass(frozen=True, slots=True)
class BranchRecord:
    unit_id: str
    name: str
    year: int
    eligible_members: int  # rated members who should hold a task (committee aside)
    members_assigned: int
    reports_expected: int
    reports_submitted: int
    regular_meeting_months: int
    meetings_judged: int
    meetings_of_quality: int
    members_disciplined: int
    removal_flags: int
    member_levels: tuple[Level | None, ...]


def absence_streaks(
    meetings: Sequence[tuple[str, str, Sequence[tuple[str, str]]]],
) -> dict[str, int]:
    """For each meeting (id, kind, [(member, state)]), oldest first: the longest run of
    meetings in a row, up to and including it, that an expected member missed (with or
    without reason). Committee meetings neither count nor break a run."""
    runs: dict[str, int] = {}
    longest: dict[str, int] = {}
    for meeting_id, kind, lines in meetings:
        if kind == "committee":
            longest[meeting_id] = 0
            continue
        for member, state in lines:
            if state in ("absent_excused", "absent_unexcused"):
                runs[member] = runs.get(member, 0) + 1
            elif state == "present":
                runs[member] = 0
        longest[meeting_id] = max(
            (runs.get(member, 0) for member, state in lines if state != "off_roster"), default=0
        )
    return longest
