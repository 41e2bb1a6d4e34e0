"""The attendance service's events: what happened at each branch meeting (sinh hoạt chi bộ).

All events of one branch's meetings in one year share one stream (`meetings-<branch>-<year>`),
so a subscriber sees a branch's year in order. Times are ISO 8601 with their UTC offset;
`month` (YYYY-MM) is the month a meeting counts for, in Vietnam's time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from chibo_kernel.events import DomainEvent, EventRegistry

from .assignment import CommitteeLevel

# Regular: the monthly meeting (Charter art. 24); thematic: chuyên đề; committee: chi ủy;
# extraordinary: bất thường.
MeetingKind = Literal["regular", "thematic", "committee", "extraordinary"]
# có mặt; vắng có lý do; vắng không lý do
AttendanceStatus = Literal["present", "absent_excused", "absent_unexcused"]


class AttendanceMark(BaseModel):
    """One member's attendance at one meeting; `reason` is set for an excused absence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    member_id: str
    status: AttendanceStatus
    reason: str | None = None


class MeetingScheduled(DomainEvent):
    event_type: ClassVar[str] = "chibo.attendance.meeting_scheduled.v1"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    month: str
    scheduled_for: datetime
    place: str
    topic: str  # the theme of a thematic meeting; may be empty for the others
    extra_reason: str | None  # why a month has a second regular meeting


class MeetingPostponed(DomainEvent):
    event_type: ClassVar[str] = "chibo.attendance.meeting_postponed.v1"
    meeting_id: str
    branch_id: str
    month: str
    from_time: datetime
    to_time: datetime
    reason: str


class MeetingCancelled(DomainEvent):
    event_type: ClassVar[str] = "chibo.attendance.meeting_cancelled.v1"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    month: str
    reason: str


class MeetingHeld(DomainEvent):
    """The meeting took place: the facts the quality of a meeting is judged on."""

    event_type: ClassVar[str] = "chibo.attendance.meeting_held.v1"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    month: str
    started_at: datetime
    ended_at: datetime
    place: str
    chair_id: str
    minutes_recorded: bool  # biên bản được ghi
    prepared_by_committee: bool  # chi ủy họp chuẩn bị trước


class AttendanceRecorded(DomainEvent):
    """A whole meeting's attendance sheet, as the branch recorded it: every member the
    branch expected, as its roster stood when the sheet was entered."""

    event_type: ClassVar[str] = "chibo.attendance.attendance_recorded.v1"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    held_on: date
    marks: list[AttendanceMark]


class AttendanceCorrected(DomainEvent):
    """A late correction: these marks supersede the earlier ones for the same members."""

    event_type: ClassVar[str] = "chibo.attendance.attendance_corrected.v1"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    held_on: date
    marks: list[AttendanceMark]
    reason: str


class GuestAttended(DomainEvent):
    """A higher committee member attended (cấp ủy viên cấp trên dự sinh hoạt chi bộ).
    `within_assignment` is false when this branch is outside the units they were assigned
    to follow that year: allowed, and marked."""

    event_type: ClassVar[str] = "chibo.attendance.guest_attended.v1"
    meeting_id: str
    branch_id: str
    held_on: date
    guest_id: str
    level: CommitteeLevel
    within_assignment: bool


REGISTRY = EventRegistry(
    [
        MeetingScheduled,
        MeetingPostponed,
        MeetingCancelled,
        MeetingHeld,
        AttendanceRecorded,
        AttendanceCorrected,
        GuestAttended,
    ]
)
