"""A branch's meetings in one year (sổ sinh hoạt chi bộ): the aggregate that keeps one regular
meeting a month and every meeting's attendance consistent.

One stream per branch-year: a branch has a few dozen meetings a year and one secretary
entering them, so contention is rare, and every rule that spans meetings (one regular
meeting a month) is checked inside one consistency boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from chibo_kernel import DomainEvent
from chibo_kernel.clock import local_date, month_of
from chibo_kernel.domain import Aggregate
from chibo_kernel.errors import RuleViolation

from .events import (
    AttendanceCorrected,
    AttendanceMark,
    AttendanceRecorded,
    CommitteeLevel,
    GuestAttended,
    MeetingCancelled,
    MeetingHeld,
    MeetingKind,
    MeetingPostponed,
    MeetingScheduled,
)
from .meeting import Meeting
from .roster import Roster
from .sheet import check_complete, check_marks

# A clock a few minutes fast on the secretary's phone should not refuse a meeting just ended.
CLOCK_SKEW = timedelta(minutes=5)
LONGEST_MEETING = timedelta(hours=12)


def book_id(branch_id: str, year: int) -> str:
    return f"{branch_id}-{year}"


@dataclass(frozen=True, slots=True)
class GuestVisit:
    guest_id: str
    level: CommitteeLevel
    within_assignment: bool


class MeetingBook(Aggregate):
    category = "meetings"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.branch_id, year = aggregate_id.rsplit("-", 1)
        self.year = int(year)
        self.meetings: dict[str, Meeting] = {}

    def meeting(self, meeting_id: str) -> Meeting:
        found = self.meetings.get(meeting_id)
        if found is None:
            raise RuleViolation(
                "meeting_unknown", f"no meeting {meeting_id}", f"không có cuộc họp {meeting_id}"
            )
        return found

    def schedule(
        self,
        meeting_id: str,
        *,
        kind: MeetingKind,
        scheduled_for: datetime,
        place: str,
        topic: str = "",
        extra_reason: str | None = None,
    ) -> None:
        if meeting_id in self.meetings:
            raise RuleViolation(
                "meeting_exists", f"meeting {meeting_id} exists", f"đã có cuộc họp {meeting_id}"
            )
        self._require_in_year(scheduled_for)
        month = month_of(scheduled_for)
        if kind == "thematic" and not topic.strip():
            raise RuleViolation(
                "topic_required",
                "a thematic meeting needs its topic",
                "sinh hoạt chuyên đề phải có chủ đề",
            )
        if kind == "regular" and self._regular_in(month) and not (extra_reason or "").strip():
            raise RuleViolation(
                "second_regular_meeting",
                f"branch {self.branch_id} already has a regular meeting in {month}; give the "
                "reason for another, or schedule a thematic or extraordinary meeting",
                f"chi bộ {self.branch_id} đã có cuộc họp thường kỳ tháng {month}; nêu lý do "
                "họp thêm, hoặc lên lịch sinh hoạt chuyên đề hay bất thường",
            )
        self._emit(
            MeetingScheduled(
                meeting_id=meeting_id,
                branch_id=self.branch_id,
                kind=kind,
                month=month,
                scheduled_for=scheduled_for,
                place=place,
                topic=topic.strip(),
                extra_reason=(extra_reason or "").strip() or None,
            )
        )

    def postpone(self, meeting_id: str, *, to_time: datetime, reason: str) -> None:
        meeting = self.meeting(meeting_id)
        meeting.require_scheduled()
        _require_reason(reason, "postponement", "hoãn")
        if to_time <= meeting.scheduled_for:
            raise RuleViolation(
                "postponed_backwards",
                "a postponement moves the meeting later",
                "hoãn họp phải dời sang thời điểm muộn hơn",
            )
        self._require_in_year(to_time)
        if meeting.kind == "regular" and month_of(to_time) != meeting.month:
            raise RuleViolation(
                "regular_meeting_leaves_month",
                f"a regular meeting is the meeting of {meeting.month}; cancel it and schedule "
                "one in the other month",
                f"cuộc họp thường kỳ là cuộc họp của tháng {meeting.month}; hãy hủy và lên "
                "lịch cuộc họp của tháng khác",
            )
        self._emit(
            MeetingPostponed(
                meeting_id=meeting_id,
                branch_id=self.branch_id,
                month=month_of(to_time),
                from_time=meeting.scheduled_for,
                to_time=to_time,
                reason=reason.strip(),
            )
        )

    def cancel(self, meeting_id: str, *, reason: str) -> None:
        meeting = self.meeting(meeting_id)
        meeting.require_scheduled()
        _require_reason(reason, "cancellation", "hủy")
        self._emit(
            MeetingCancelled(
                meeting_id=meeting_id,
                branch_id=self.branch_id,
                kind=meeting.kind,
                month=meeting.month,
                reason=reason.strip(),
            )
        )

    def hold(
        self,
        meeting_id: str,
        *,
        started_at: datetime,
        ended_at: datetime,
        place: str,
        chair_id: str,
        minutes_recorded: bool,
        prepared_by_committee: bool,
        now: datetime,
        roster: Roster,
    ) -> None:
        meeting = self.meeting(meeting_id)
        meeting.require_scheduled()
        if ended_at <= started_at:
            raise RuleViolation(
                "times_out_of_order",
                "a meeting must end after it starts",
                "giờ kết thúc phải sau giờ bắt đầu",
            )
        if ended_at - started_at > LONGEST_MEETING:
            raise RuleViolation(
                "meeting_too_long",
                "a meeting longer than 12 hours is a typing mistake; check the times",
                "cuộc họp dài hơn 12 giờ là nhập nhầm; hãy kiểm tra lại giờ",
            )
        if ended_at > now + CLOCK_SKEW:
            raise RuleViolation(
                "held_in_future",
                "a meeting can be recorded as held only after it has ended",
                "chỉ ghi nhận cuộc họp đã tổ chức sau khi cuộc họp kết thúc",
            )
        self._require_in_year(started_at)
        if meeting.kind == "regular" and month_of(started_at) != meeting.month:
            raise RuleViolation(
                "regular_meeting_leaves_month",
                f"a regular meeting is the meeting of {meeting.month}; it was held in another "
                "month, so cancel it and schedule one there",
                f"cuộc họp thường kỳ là cuộc họp của tháng {meeting.month}; nếu họp vào tháng "
                "khác, hãy hủy và lên lịch cho tháng đó",
            )
        if chair_id not in roster:
            raise RuleViolation(
                "chair_not_on_roster",
                f"the chair {chair_id} is not on the branch's roster on {roster.day}",
                f"người chủ trì {chair_id} không có trong danh sách chi bộ ngày {roster.day}",
            )
        self._emit(
            MeetingHeld(
                meeting_id=meeting_id,
                branch_id=self.branch_id,
                kind=meeting.kind,
                month=meeting.month,
                started_at=started_at,
                ended_at=ended_at,
                place=place,
                chair_id=chair_id,
                minutes_recorded=minutes_recorded,
                prepared_by_committee=prepared_by_committee,
            )
        )

    def record_attendance(
        self,
        meeting_id: str,
        marks: Sequence[AttendanceMark],
        roster: Roster,
        guests: Sequence[GuestVisit] = (),
    ) -> None:
        meeting = self.meeting(meeting_id)
        meeting.require_held()
        if meeting.recorded:
            raise RuleViolation(
                "attendance_already_recorded",
                f"attendance at {meeting_id} is already recorded; send a correction",
                f"đã ghi điểm danh cuộc họp {meeting_id}; hãy gửi đính chính",
            )
        expected = roster.for_meeting(meeting.kind)
        check_marks(marks, expected, guests=(g.guest_id for g in guests))
        check_complete(marks, expected)
        self._emit(
            AttendanceRecorded(
                meeting_id=meeting_id,
                branch_id=self.branch_id,
                kind=meeting.kind,
                held_on=meeting.held_on,
                marks=sorted(marks, key=lambda m: m.member_id),
            )
        )
        self.add_guests(meeting_id, guests, roster)

    def correct_attendance(
        self, meeting_id: str, marks: Sequence[AttendanceMark], roster: Roster, *, reason: str
    ) -> None:
        meeting = self.meeting(meeting_id)
        if not meeting.recorded:
            raise RuleViolation(
                "attendance_not_recorded",
                f"attendance at {meeting_id} has not been recorded yet",
                f"chưa ghi điểm danh cuộc họp {meeting_id}",
            )
        _require_reason(reason, "correction", "đính chính")
        check_marks(marks, roster.for_meeting(meeting.kind), marked_before=meeting.marks)
        changed = [m for m in marks if meeting.marks.get(m.member_id) != m]
        if not changed:
            raise RuleViolation(
                "correction_changes_nothing",
                "every mark in the correction is already recorded",
                "mọi nội dung đính chính đều đã được ghi nhận",
            )
        self._emit(
            AttendanceCorrected(
                meeting_id=meeting_id,
                branch_id=self.branch_id,
                kind=meeting.kind,
                held_on=meeting.held_on,
                marks=sorted(changed, key=lambda m: m.member_id),
                reason=reason.strip(),
            )
        )

    def add_guests(self, meeting_id: str, guests: Sequence[GuestVisit], roster: Roster) -> None:
        meeting = self.meeting(meeting_id)
        meeting.require_held()
        ids = [g.guest_id for g in guests]
        repeated = sorted({g for g in ids if ids.count(g) > 1 or g in meeting.guests})
        if repeated:
            raise RuleViolation(
                "guest_already_recorded",
                f"guests already recorded at this meeting: {', '.join(repeated)}",
                f"khách mời đã được ghi nhận ở cuộc họp này: {', '.join(repeated)}",
            )
        members = sorted(g for g in ids if g in roster)
        if members:
            raise RuleViolation(
                "guest_is_member",
                f"members of this branch are marked in the sheet, not as guests: "
                f"{', '.join(members)}",
                f"đảng viên của chi bộ được ghi trong bảng điểm danh, không phải khách mời: "
                f"{', '.join(members)}",
            )
        for guest in guests:
            self._emit(
                GuestAttended(
                    meeting_id=meeting_id,
                    branch_id=self.branch_id,
                    held_on=meeting.held_on,
                    guest_id=guest.guest_id,
                    level=guest.level,
                    within_assignment=guest.within_assignment,
                )
            )

    def _regular_in(self, month: str) -> bool:
        return any(
            m.kind == "regular" and m.month == month and m.status != "cancelled"
            for m in self.meetings.values()
        )

    def _require_in_year(self, moment: datetime) -> None:
        if local_date(moment).year != self.year:
            raise RuleViolation(
                "outside_year",
                f"{local_date(moment)} is outside {self.year}, the year of this meeting book",
                f"ngày {local_date(moment)} không thuộc năm {self.year} của sổ sinh hoạt",
            )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case MeetingScheduled():
                self.meetings[event.meeting_id] = Meeting(
                    event.meeting_id, event.kind, event.month, event.scheduled_for, event.place
                )
            case MeetingPostponed():
                self.meetings[event.meeting_id].scheduled_for = event.to_time
            case MeetingCancelled():
                self.meetings[event.meeting_id].status = "cancelled"
            case MeetingHeld():
                meeting = self.meetings[event.meeting_id]
                meeting.status = "held"
                meeting.started_at, meeting.ended_at = event.started_at, event.ended_at
                meeting.place, meeting.chair_id = event.place, event.chair_id
            case AttendanceRecorded() | AttendanceCorrected():
                meeting = self.meetings[event.meeting_id]
                meeting.recorded = True
                meeting.marks.update({m.member_id: m for m in event.marks})
            case GuestAttended():
                self.meetings[event.meeting_id].guests.add(event.guest_id)


def _require_reason(reason: str, what_en: str, what_vi: str) -> None:
    if not reason.strip():
        raise RuleViolation(
            "reason_required", f"a {what_en} needs a reason", f"{what_vi} phải có lý do"
        )
