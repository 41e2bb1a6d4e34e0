"""Request and response bodies: closed models and bounded fields, so bad input is refused
before any handler runs. Times must carry their UTC offset (e.g. 2025-03-05T19:30:00+07:00)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from chibo_chassis.http import Accepted as Accepted
from chibo_contracts.meeting_quality import LineState

from ..domain.events import AttendanceStatus, CommitteeLevel, MeetingKind

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
# The largest branches have a few hundred members; a sheet longer than this is a mistake.
MAX_SHEET = 1000


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mark(Body):
    member_id: Id
    status: AttendanceStatus
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None


class Guest(Body):
    member_id: Id
    level: CommitteeLevel


class ScheduleMeeting(Body):
    kind: MeetingKind
    scheduled_for: AwareDatetime
    place: Text
    topic: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    extra_reason: Reason | None = None
    meeting_id: Id | None = Field(
        default=None,
        description="optional: a client-chosen id; the same meeting sent again with it is "
        "recorded once. Without it the id is new at every request: send an Idempotency-Key "
        "to make a retry safe",
    )


class Postpone(Body):
    to_time: AwareDatetime
    reason: Reason


class Cancel(Body):
    reason: Reason


class HoldMeeting(Body):
    started_at: AwareDatetime
    ended_at: AwareDatetime
    place: Text
    chair_id: Id
    minutes_recorded: bool
    prepared_by_committee: bool
    attendance: list[Mark] | None = Field(
        default=None, max_length=MAX_SHEET, description="the whole sheet, if entered now"
    )
    guests: list[Guest] = Field(default=[], max_length=50)


class RecordAttendance(Body):
    marks: list[Mark] = Field(max_length=MAX_SHEET)
    guests: list[Guest] = Field(default=[], max_length=50)


class CorrectAttendance(Body):
    marks: list[Mark] = Field(min_length=1, max_length=MAX_SHEET)
    reason: Reason


class AddGuests(Body):
    guests: list[Guest] = Field(min_length=1, max_length=50)


class Scheduled(Accepted):
    meeting_id: str


class RosterMember(BaseModel):
    member_id: str
    full_name: str
    membership: str
    standing: str
    committee: bool
    expected: bool


class RosterView(BaseModel):
    branch_id: str
    on: date
    expected: int
    members: list[RosterMember]


class Line(BaseModel):
    member_id: str
    full_name: str
    state: LineState
    reason: str | None
    corrected: bool


class Facts(BaseModel):
    expected: int
    present: int
    absent_excused: int
    absent_unexcused: int
    not_recorded: int
    attendance_rate: float | None
    duration_minutes: int
    at_least_90_minutes: bool
    minutes_recorded: bool
    prepared_by_committee: bool
    absent_more_than_3_in_a_row: list[str]


class GuestLine(BaseModel):
    guest_id: str
    level: str
    within_assignment: bool


class MeetingSummary(BaseModel):
    meeting_id: str
    branch_id: str
    kind: MeetingKind
    month: str
    status: str
    scheduled_for: AwareDatetime
    place: str
    topic: str
    extra_reason: str | None
    postponements: int
    cancel_reason: str | None
    started_at: AwareDatetime | None
    ended_at: AwareDatetime | None
    chair_id: str | None
    recorded: bool
    facts: Facts | None


class MeetingView(MeetingSummary):
    lines: list[Line]
    guests: list[GuestLine]


class MonthLine(BaseModel):
    month: str
    regular_meeting: str  # held, scheduled, cancelled or none
    meeting_ids: list[str]


class RemovalFlag(BaseModel):
    """Charter art. 8: three months in a year absent without good reason."""

    member_id: str
    full_name: str
    months: list[str]


class BranchYearView(BaseModel):
    branch_id: str
    year: int
    months: list[MonthLine]
    months_without_regular_meeting: list[str]
    meetings: list[MeetingSummary]
    removal_review: list[RemovalFlag]


class Visit(BaseModel):
    meeting_id: str
    branch_id: str
    held_on: date
    level: str
    within_assignment: bool


class VisitsView(BaseModel):
    follower_id: str
    year: int
    visits: list[Visit]
    total: int
    outside_assignment: int
    followed_units: list[str]
