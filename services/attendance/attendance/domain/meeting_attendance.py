"""Who was at a held meeting: the attendance sheet, its corrections and the guests from
higher committees, each decided for one meeting of a branch's meeting book.

These return the events to record and leave recording them to the book, which owns the
meetings' state; what they check is one meeting's attendance, never other meetings. The
published sheets carry each member's status; the reasons go to the book's notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chibo_kernel.errors import RuleViolation

from .events import (
    AttendanceCorrectedV2,
    AttendanceMark,
    AttendanceRecordedV2,
    CommitteeLevel,
    GuestAttended,
    StatusMark,
)
from .meeting import Meeting
from .meeting_checks import require_reason
from .named_refusal import MembersRefused
from .roster import Roster
from .sheet import check_complete, check_marks


@dataclass(frozen=True, slots=True)
class GuestVisit:
    guest_id: str
    level: CommitteeLevel
    within_assignment: bool


def recorded_sheet(
    branch_id: str,
    meeting: Meeting,
    marks: Sequence[AttendanceMark],
    roster: Roster,
    guests: Sequence[GuestVisit],
) -> AttendanceRecordedV2:
    meeting.require_held()
    if meeting.recorded:
        en, vi = meeting.called
        raise RuleViolation(
            "attendance_already_recorded",
            f"attendance at {en} is already recorded; send a correction",
            f"đã ghi điểm danh {vi}; hãy gửi đính chính",
        )
    expected = roster.for_meeting(meeting.kind)
    check_marks(marks, expected, guests=(g.guest_id for g in guests))
    check_complete(marks, expected)
    return AttendanceRecordedV2(
        meeting_id=meeting.meeting_id,
        branch_id=branch_id,
        kind=meeting.kind,
        held_on=meeting.held_on,
        marks=published(marks),
    )


def corrected_sheet(
    branch_id: str,
    meeting: Meeting,
    marks: Sequence[AttendanceMark],
    roster: Roster,
    reason: str,
    known: Mapping[str, AttendanceMark],
) -> tuple[AttendanceCorrectedV2, list[AttendanceMark]]:
    """The correction, and the marks it changes; `known` are the meeting's marks as they
    stand, reasons included."""
    if not meeting.recorded:
        en, vi = meeting.called
        raise RuleViolation(
            "attendance_not_recorded",
            f"attendance at {en} has not been recorded yet",
            f"chưa ghi điểm danh {vi}",
        )
    require_reason(reason, "correction", "đính chính")
    check_marks(marks, roster.for_meeting(meeting.kind), marked_before=meeting.marks)
    changed = sorted((m for m in marks if known.get(m.member_id) != m), key=lambda m: m.member_id)
    if not changed:
        raise RuleViolation(
            "correction_changes_nothing",
            "every mark in the correction is already recorded",
            "mọi nội dung đính chính đều đã được ghi nhận",
        )
    correction = AttendanceCorrectedV2(
        meeting_id=meeting.meeting_id,
        branch_id=branch_id,
        kind=meeting.kind,
        held_on=meeting.held_on,
        marks=published(changed),
    )
    return correction, changed


def published(marks: Sequence[AttendanceMark]) -> list[StatusMark]:
    """The marks as the public stream carries them: statuses, by member."""
    ordered = sorted(marks, key=lambda m: m.member_id)
    return [StatusMark(member_id=m.member_id, status=m.status) for m in ordered]


def guest_visits(
    branch_id: str, meeting: Meeting, guests: Sequence[GuestVisit], roster: Roster
) -> list[GuestAttended]:
    """Every guest is checked before any is recorded: a list with one wrong guest records
    none of them."""
    meeting.require_held()
    ids = [g.guest_id for g in guests]
    repeated = sorted({g for g in ids if ids.count(g) > 1 or g in meeting.guests})
    if repeated:
        raise MembersRefused(
            "guest_already_recorded",
            "guests already recorded at this meeting",
            "khách mời đã được ghi nhận ở cuộc họp này",
            repeated,
            roster.names(),
        )
    members = sorted(g for g in ids if g in roster)
    if members:
        raise MembersRefused(
            "guest_is_member",
            "members of this branch are marked in the sheet, not as guests",
            "đảng viên của chi bộ được ghi trong bảng điểm danh, không phải khách mời",
            members,
            roster.names(),
        )
    return [
        GuestAttended(
            meeting_id=meeting.meeting_id,
            branch_id=branch_id,
            held_on=meeting.held_on,
            guest_id=guest.guest_id,
            level=guest.level,
            within_assignment=guest.within_assignment,
        )
        for guest in guests
    ]
