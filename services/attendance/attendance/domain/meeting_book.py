"""A branch's meetings in one year (sổ sinh hoạt chi bộ): the aggregate that keeps one regular
meeting a month and every meeting's attendance consistent.

One stream per branch-year: a branch has a few dozen meetings a year and one secretary
entering them, so contention is rare, and every rule that spans meetings (one regular
meeting a month) is checked inside one consistency boundary. The reasons people give go to
the book's `notes` (`meeting_notes.py`), saved with it; the book reads the v1 events, which
carried them, and the v2 ones, which do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chibo_kernel import DomainEvent
from chibo_kernel.clock import month_of
from chibo_kernel.domain import Aggregate
from chibo_kernel.errors import RuleViolation

from .events import (
    AttendanceCorrected,
    AttendanceCorrectedV2,
    AttendanceMark,
    AttendanceRecorded,
    AttendanceRecordedV2,
    GuestAttended,
    MeetingCancelled,
    MeetingCancelledV2,
    MeetingHeld,
    MeetingKind,
    MeetingPostponed,
    MeetingPostponedV2,
    MeetingScheduled,
)
from .meeting import Meeting
from .meeting_attendance import GuestVisit, corrected_sheet, guest_visits, recorded_sheet
from .meeting_checks import (
    check_held_times,
    require_extra_reason,
    require_in_year,
    require_own_month,
    require_reason,
    require_topic,
)
from .meeting_notes import MeetingNotes
from .roster import Roster
from .sheet import check_chair


def book_id(branch_id: str, year: int) -> str:
    return f"{branch_id}-{year}"


class MeetingBook(Aggregate):
    category = "meetings"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.branch_id, year = aggregate_id.rsplit("-", 1)
        self.year = int(year)
        self.meetings: dict[str, Meeting] = {}
        self.notes = MeetingNotes(aggregate_id)  # the loaded one replaces it before a command
        self.branch_name = self.branch_id  # how refusals name it; the loader sets its name

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
        require_in_year(scheduled_for, self.year)
        month = month_of(scheduled_for)
        scheduled = MeetingScheduled(
            meeting_id=meeting_id,
            branch_id=self.branch_id,
            kind=kind,
            month=month,
            scheduled_for=scheduled_for,
            place=place,
            topic=topic.strip(),
            extra_reason=(extra_reason or "").strip() or None,
        )
        if meeting_id in self.meetings:
            if scheduled in self.history:
                return  # the same meeting sent again (a retry): nothing new to record
            en, vi = self.meetings[meeting_id].called
            raise RuleViolation(
                "meeting_exists",
                f"this meeting id is already {en}'s",
                f"mã cuộc họp này đã dùng cho {vi}",
            )
        require_topic(kind, topic)
        if kind == "regular" and self._regular_in(month):
            require_extra_reason(self.branch_name, month, extra_reason)
        self._emit(scheduled)

    def postpone(self, meeting_id: str, *, to_time: datetime, reason: str) -> None:
        meeting = self.meeting(meeting_id)
        meeting.require_scheduled()
        require_reason(reason, "postponement", "hoãn")
        if to_time <= meeting.scheduled_for:
            raise RuleViolation(
                "postponed_backwards",
                "a postponement moves the meeting later",
                "hoãn họp phải dời sang thời điểm muộn hơn",
            )
        require_in_year(to_time, self.year)
        require_own_month(
            meeting,
            to_time,
            "cancel it and schedule one in the other month",
            "hãy hủy và lên lịch cuộc họp của tháng khác",
        )
        self._emit(
            MeetingPostponedV2(
                meeting_id=meeting_id,
                branch_id=self.branch_id,
                month=month_of(to_time),
                from_time=meeting.scheduled_for,
                to_time=to_time,
            )
        )
        self.notes.postponement(meeting_id, reason.strip())

    def cancel(self, meeting_id: str, *, reason: str) -> None:
        meeting = self.meeting(meeting_id)
        meeting.require_scheduled()
        require_reason(reason, "cancellation", "hủy")
        self._emit(
            MeetingCancelledV2(
                meeting_id=meeting_id,
                branch_id=self.branch_id,
                kind=meeting.kind,
                month=meeting.month,
            )
        )
        self.notes.cancellation(meeting_id, reason.strip())

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
        check_held_times(started_at, ended_at, now)
        require_in_year(started_at, self.year)
        require_own_month(
            meeting,
            started_at,
            "it was held in another month, so cancel it and schedule one there",
            "nếu họp vào tháng khác, hãy hủy và lên lịch cho tháng đó",
        )
        check_chair(chair_id, roster)
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
        sheet = recorded_sheet(self.branch_id, self.meeting(meeting_id), marks, roster, guests)
        self._emit(sheet)
        self.notes.absences(meeting_id, marks)
        self.add_guests(meeting_id, guests, roster)

    def correct_attendance(
        self, meeting_id: str, marks: Sequence[AttendanceMark], roster: Roster, *, reason: str
    ) -> None:
        meeting = self.meeting(meeting_id)
        known = {m: self.notes.with_reason(meeting_id, k) for m, k in meeting.marks.items()}
        correction, changed = corrected_sheet(self.branch_id, meeting, marks, roster, reason, known)
        self._emit(correction)
        self.notes.correction(meeting_id, changed, reason.strip())

    def add_guests(self, meeting_id: str, guests: Sequence[GuestVisit], roster: Roster) -> None:
        for visit in guest_visits(self.branch_id, self.meeting(meeting_id), guests, roster):
            self._emit(visit)

    def _regular_in(self, month: str) -> bool:
        return any(
            m.kind == "regular" and m.month == month and m.status != "cancelled"
            for m in self.meetings.values()
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case MeetingScheduled():
                self.meetings[event.meeting_id] = Meeting(
                    event.meeting_id, event.kind, event.month, event.scheduled_for, event.place
                )
            case MeetingPostponed() | MeetingPostponedV2():
                self.meetings[event.meeting_id].scheduled_for = event.to_time
            case MeetingCancelled() | MeetingCancelledV2():
                self.meetings[event.meeting_id].status = "cancelled"
            case MeetingHeld():
                meeting = self.meetings[event.meeting_id]
                meeting.status = "held"
                meeting.started_at, meeting.ended_at = event.started_at, event.ended_at
                meeting.place, meeting.chair_id = event.place, event.chair_id
            case (
                AttendanceRecorded()
                | AttendanceCorrected()
                | AttendanceRecordedV2()
                | AttendanceCorrectedV2()
            ):
                self.meetings[event.meeting_id].take_marks(event.marks)
            case GuestAttended():
                self.meetings[event.meeting_id].guests.add(event.guest_id)
