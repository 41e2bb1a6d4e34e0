"""The attendance service's events: what happened at each branch meeting (sinh hoạt chi bộ).

All events of one branch's meetings in one year share one stream (`meetings-<branch>-<year>`),
so a subscriber sees a branch's year in order. Times are ISO 8601 with their UTC offset;
`month` (YYYY-MM) is the month a meeting counts for, in Vietnam's time.

What people write about why (an absence, a correction, a postponement, a cancellation) is
often a member's illness: since the v2 events it stays in this service's store, in the
private events of `attendance_private.py`, and the public stream carries only the facts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from chibo_kernel.events import DomainEvent, EventRegistry
from chibo_kernel.privacy import IDENTIFIER, SENSITIVE

from .assignment import CommitteeLevel
from .attendance_private import (
    AbsenceReasonRecorded,
    CancellationReasonRecorded,
    CorrectionReasonRecorded,
    PostponementReasonRecorded,
)

# Regular: the monthly meeting (Charter art. 24); thematic: chuyên đề; committee: chi ủy;
# extraordinary: bất thường.
MeetingKind = Literal["regular", "thematic", "committee", "extraordinary"]
# có mặt; vắng có lý do; vắng không lý do
AttendanceStatus = Literal["present", "absent_excused", "absent_unexcused"]


# What a secretary enters, and the v1 sheets' marks; the v2 sheets publish `StatusMark`.
# (A docstring is part of a model's JSON Schema: v1 notes are comments.)
class AttendanceMark(BaseModel):
    """One member's attendance at one meeting; `reason` is set for an excused absence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    member_id: Annotated[str, IDENTIFIER]
    status: AttendanceStatus
    reason: Annotated[str | None, SENSITIVE] = None  # often a diagnosis


class StatusMark(BaseModel):
    """One member's attendance at one meeting as published: the reason of an excused
    absence is the private `AbsenceReasonRecorded`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    member_id: Annotated[str, IDENTIFIER]
    status: AttendanceStatus


class MeetingScheduled(DomainEvent):
    event_type: ClassVar[str] = "chibo.attendance.meeting_scheduled.v1"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    month: str
    scheduled_for: datetime
    place: str
    # The branch's agenda, which it announces to its members: about the branch, not a person.
    topic: str  # the theme of a thematic meeting; may be empty for the others
    extra_reason: str | None  # why a month has a second regular meeting


# Superseded by v2, which leaves the reason in the service's store.
class MeetingPostponed(DomainEvent):
    event_type: ClassVar[str] = "chibo.attendance.meeting_postponed.v1"
    meeting_id: str
    branch_id: str
    month: str
    from_time: datetime
    to_time: datetime
    reason: str  # about the meeting, though it may give a member's illness (see v2)


class MeetingPostponedV2(DomainEvent):
    """The meeting moved later; why is `PostponementReasonRecorded`, in the service's store."""

    event_type: ClassVar[str] = "chibo.attendance.meeting_postponed.v2"
    meeting_id: str
    branch_id: str
    month: str
    from_time: datetime
    to_time: datetime


# Superseded by v2, which leaves the reason in the service's store.
class MeetingCancelled(DomainEvent):
    event_type: ClassVar[str] = "chibo.attendance.meeting_cancelled.v1"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    month: str
    reason: str  # about the meeting, though it may give a member's illness (see v2)


class MeetingCancelledV2(DomainEvent):
    """The meeting will not take place; why is `CancellationReasonRecorded`, in the
    service's store."""

    event_type: ClassVar[str] = "chibo.attendance.meeting_cancelled.v2"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    month: str


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
    chair_id: Annotated[str, IDENTIFIER]
    minutes_recorded: bool  # biên bản được ghi
    prepared_by_committee: bool  # chi ủy họp chuẩn bị trước


# The v1 sheets hold several members' sensitive texts, so no one data subject: superseded
# by v2, which publishes the marks without them.
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
    reason: Annotated[str, SENSITIVE]  # why these members' marks changed


class AttendanceRecordedV2(DomainEvent):
    """A whole meeting's attendance sheet, as the branch recorded it: every member the
    branch expected, as its roster stood when the sheet was entered. The reasons of the
    excused absences are `AbsenceReasonRecorded`, one per member, in the service's store."""

    event_type: ClassVar[str] = "chibo.attendance.attendance_recorded.v2"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    held_on: date
    marks: list[StatusMark]


class AttendanceCorrectedV2(DomainEvent):
    """A late correction: these marks supersede the earlier ones for the same members. Why,
    and the new reasons of excused absences, stay in the service's store."""

    event_type: ClassVar[str] = "chibo.attendance.attendance_corrected.v2"
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    held_on: date
    marks: list[StatusMark]


class GuestAttended(DomainEvent):
    """A higher committee member attended (cấp ủy viên cấp trên dự sinh hoạt chi bộ).
    `within_assignment` is false when this branch is outside the units they were assigned
    to follow that year: allowed, and marked."""

    event_type: ClassVar[str] = "chibo.attendance.guest_attended.v1"
    meeting_id: str
    branch_id: str
    held_on: date
    guest_id: Annotated[str, IDENTIFIER]
    level: CommitteeLevel
    within_assignment: bool


__all__ = [
    "REGISTRY",
    "AbsenceReasonRecorded",
    "AttendanceCorrected",
    "AttendanceCorrectedV2",
    "AttendanceMark",
    "AttendanceRecorded",
    "AttendanceRecordedV2",
    "AttendanceStatus",
    "CancellationReasonRecorded",
    "CorrectionReasonRecorded",
    "GuestAttended",
    "MeetingCancelled",
    "MeetingCancelledV2",
    "MeetingHeld",
    "MeetingKind",
    "MeetingPostponed",
    "MeetingPostponedV2",
    "MeetingScheduled",
    "PostponementReasonRecorded",
    "StatusMark",
]

REGISTRY = EventRegistry(
    [
        MeetingScheduled,
        MeetingPostponed,
        MeetingPostponedV2,
        MeetingCancelled,
        MeetingCancelledV2,
        MeetingHeld,
        AttendanceRecorded,
        AttendanceRecordedV2,
        AttendanceCorrected,
        AttendanceCorrectedV2,
        GuestAttended,
        AbsenceReasonRecorded,
        CorrectionReasonRecorded,
        PostponementReasonRecorded,
        CancellationReasonRecorded,
    ]
)
