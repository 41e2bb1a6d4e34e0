"""One module per command; `bind` gives the boundary each handler with what it loads from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from ...domain import commands as c
from ..loading import Loader
from . import (
    add_guests,
    cancel_meeting,
    correct_attendance,
    hold_meeting,
    postpone_meeting,
    record_attendance,
    schedule_meeting,
)

HANDLERS: dict[type, Callable[..., Awaitable[Any]]] = {
    c.ScheduleMeeting: schedule_meeting.handle,
    c.PostponeMeeting: postpone_meeting.handle,
    c.CancelMeeting: cancel_meeting.handle,
    c.HoldMeeting: hold_meeting.handle,
    c.RecordAttendance: record_attendance.handle,
    c.CorrectAttendance: correct_attendance.handle,
    c.AddGuests: add_guests.handle,
}


def bind(load: Loader) -> dict[type, Callable[[Any], Awaitable[Any]]]:
    return {kind: partial(handle, load=load) for kind, handle in HANDLERS.items()}
