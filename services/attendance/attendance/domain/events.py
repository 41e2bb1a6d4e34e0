"""The attendance service's events live in the shared contracts package, so consumers
decode with the same models the service emits; the domain refers to them through here."""

from chibo_contracts.assignment import CommitteeLevel
from chibo_contracts.attendance import (
    REGISTRY,
    AttendanceCorrected,
    AttendanceMark,
    AttendanceRecorded,
    AttendanceStatus,
    GuestAttended,
    MeetingCancelled,
    MeetingHeld,
    MeetingKind,
    MeetingPostponed,
    MeetingScheduled,
)

__all__ = [
    "REGISTRY",
    "AttendanceCorrected",
    "AttendanceMark",
    "AttendanceRecorded",
    "AttendanceStatus",
    "CommitteeLevel",
    "GuestAttended",
    "MeetingCancelled",
    "MeetingHeld",
    "MeetingKind",
    "MeetingPostponed",
    "MeetingScheduled",
]
