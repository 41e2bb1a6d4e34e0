"""Commands on a branch's meetings: their life (scheduled, postponed, cancelled, held) and
who was there (the sheet, its corrections, the guests from higher committees)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chibo_kernel.domain import Message, Saved

from ..events import AttendanceMark, CommitteeLevel, MeetingKind


@dataclass(frozen=True)
class Guest:
    """A higher committee member who attended, and the level of their committee."""

    member_id: str
    level: CommitteeLevel


@dataclass(frozen=True)
class ScheduleMeeting(Message[tuple[str, Saved]]):
    """At a branch or a chi bộ cơ sở; answers the meeting's id with what was stored. A
    client-chosen `meeting_id` makes a retry safe."""

    branch_id: str
    kind: MeetingKind
    scheduled_for: datetime
    place: str
    topic: str = ""
    extra_reason: str | None = None
    meeting_id: str | None = None


@dataclass(frozen=True)
class PostponeMeeting(Message[Saved]):
    meeting_id: str
    to_time: datetime
    reason: str


@dataclass(frozen=True)
class CancelMeeting(Message[Saved]):
    meeting_id: str
    reason: str


@dataclass(frozen=True)
class HoldMeeting(Message[Saved]):
    """Held; the whole sheet and the guests may come with it, all in one transaction."""

    meeting_id: str
    started_at: datetime
    ended_at: datetime
    place: str
    chair_id: str
    minutes_recorded: bool
    prepared_by_committee: bool
    attendance: tuple[AttendanceMark, ...] | None = None
    guests: tuple[Guest, ...] = ()


@dataclass(frozen=True)
class RecordAttendance(Message[Saved]):
    """A whole meeting's sheet: every expected member's mark."""

    meeting_id: str
    marks: tuple[AttendanceMark, ...]
    guests: tuple[Guest, ...] = ()


@dataclass(frozen=True)
class CorrectAttendance(Message[Saved]):
    """Supersedes the named members' marks; the earlier marks stay in the history."""

    meeting_id: str
    marks: tuple[AttendanceMark, ...]
    reason: str


@dataclass(frozen=True)
class AddGuests(Message[Saved]):
    meeting_id: str
    guests: tuple[Guest, ...]
