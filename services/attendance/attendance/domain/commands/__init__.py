"""The service's commands as typed objects; each is handled by one module of
`application/handlers/` and authorised by one line of `permissions.py`."""

from .meetings import (
    AddGuests,
    CancelMeeting,
    CorrectAttendance,
    Guest,
    HoldMeeting,
    PostponeMeeting,
    RecordAttendance,
    ScheduleMeeting,
)

__all__ = [
    "AddGuests",
    "CancelMeeting",
    "CorrectAttendance",
    "Guest",
    "HoldMeeting",
    "PostponeMeeting",
    "RecordAttendance",
    "ScheduleMeeting",
]
