"""One module per command; `bind` gives the boundary each handler with what it loads from,
naming in its refusals the members the roster it checked against did not name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from ...domain import commands as c
from ...domain.named_refusal import MembersRefused
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
    return {kind: partial(_naming, handle, load) for kind, handle in HANDLERS.items()}


async def _naming(handle: Callable[..., Awaitable[Any]], load: Loader, command: Any) -> Any:
    """Someone off the roster (a stranger on a sheet, a guest, a chair) is named from the
    names the service holds for every member."""
    try:
        return await handle(command, load=load)
    except MembersRefused as refusal:
        if not refusal.unnamed:
            raise
        raise refusal.with_names(await load.member_names(refusal.unnamed)) from refusal
