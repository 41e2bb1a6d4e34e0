"""Command routes: schedule, postpone, cancel, hold; record, correct; guests. Each decodes
its body into a command, runs it through the boundary and answers what was stored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised

from ...domain import commands as c
from ...domain.events import AttendanceMark
from .. import schemas as s
from .params import MeetingId, UnitPath, accepted


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.post(
        "/branches/{branch_id}/meetings", status_code=201, dependencies=checked(c.ScheduleMeeting)
    )
    async def schedule(branch_id: UnitPath, body: s.ScheduleMeeting) -> s.Scheduled:
        meeting_id, saved = await bus.run(c.ScheduleMeeting(branch_id, **body.model_dump()))
        return s.Scheduled(meeting_id=meeting_id, **accepted(saved).model_dump())

    @api.post(
        "/meetings/{meeting_id}/postponement",
        status_code=201,
        dependencies=checked(c.PostponeMeeting),
    )
    async def postpone(meeting_id: MeetingId, body: s.Postpone) -> s.Accepted:
        return accepted(await bus.run(c.PostponeMeeting(meeting_id, **body.model_dump())))

    @api.post(
        "/meetings/{meeting_id}/cancellation",
        status_code=201,
        dependencies=checked(c.CancelMeeting),
    )
    async def cancel(meeting_id: MeetingId, body: s.Cancel) -> s.Accepted:
        return accepted(await bus.run(c.CancelMeeting(meeting_id, **body.model_dump())))

    @api.post("/meetings/{meeting_id}/held", status_code=201, dependencies=checked(c.HoldMeeting))
    async def hold(meeting_id: MeetingId, body: s.HoldMeeting) -> s.Accepted:
        """The meeting took place; the whole attendance sheet and the guests may come with
        it, and all of it is saved in one transaction or not at all."""
        facts = body.model_dump(exclude={"attendance", "guests"})
        sheet = None if body.attendance is None else _marks(body.attendance)
        command = c.HoldMeeting(meeting_id, **facts, attendance=sheet, guests=_guests(body.guests))
        return accepted(await bus.run(command))

    @api.post(
        "/meetings/{meeting_id}/attendance",
        status_code=201,
        dependencies=checked(c.RecordAttendance),
    )
    async def record(meeting_id: MeetingId, body: s.RecordAttendance) -> s.Accepted:
        """A whole meeting's attendance: one command, one event, one transaction."""
        command = c.RecordAttendance(meeting_id, _marks(body.marks), _guests(body.guests))
        return accepted(await bus.run(command))

    @api.post(
        "/meetings/{meeting_id}/attendance/corrections",
        status_code=201,
        dependencies=checked(c.CorrectAttendance),
    )
    async def correct(meeting_id: MeetingId, body: s.CorrectAttendance) -> s.Accepted:
        """Supersedes the named members' marks; the earlier marks stay in the history."""
        command = c.CorrectAttendance(meeting_id, _marks(body.marks), body.reason)
        return accepted(await bus.run(command))

    @api.post("/meetings/{meeting_id}/guests", status_code=201, dependencies=checked(c.AddGuests))
    async def guests(meeting_id: MeetingId, body: s.AddGuests) -> s.Accepted:
        return accepted(await bus.run(c.AddGuests(meeting_id, _guests(body.guests))))


def _marks(marks: Sequence[s.Mark]) -> tuple[AttendanceMark, ...]:
    # An empty reason is no reason: the domain then asks for one where it is needed.
    return tuple(
        AttendanceMark(member_id=m.member_id, status=m.status, reason=m.reason or None)
        for m in marks
    )


def _guests(guests: Sequence[s.Guest]) -> tuple[c.Guest, ...]:
    return tuple(c.Guest(g.member_id, g.level) for g in guests)
