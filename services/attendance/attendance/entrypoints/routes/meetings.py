"""Command routes: schedule, postpone, cancel, hold; record, correct; guests."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from chibo_kernel.auth import Permission
from chibo_kernel.http import guard

from ...application.commands import MeetingCommands
from ...domain.events import AttendanceMark, CommitteeLevel
from .. import schemas as s
from .params import MeetingId, UnitPath, accepted
from .places import Places


def add_routes(api: APIRouter, commands: MeetingCommands, places: Places) -> None:
    """Every command is the branch's work, at the branch named or the meeting's branch."""
    at_branch = [guard(Permission.BRANCH_WORK, places.branch)]
    at_meeting = [guard(Permission.BRANCH_WORK, places.meeting)]

    @api.post("/branches/{branch_id}/meetings", status_code=201, dependencies=at_branch)
    async def schedule(branch_id: UnitPath, body: s.ScheduleMeeting) -> s.Scheduled:
        meeting_id, saved = await commands.schedule(branch_id, **body.model_dump())
        return s.Scheduled(meeting_id=meeting_id, **accepted(saved).model_dump())

    @api.post("/meetings/{meeting_id}/postponement", status_code=201, dependencies=at_meeting)
    async def postpone(meeting_id: MeetingId, body: s.Postpone) -> s.Accepted:
        return accepted(await commands.postpone(meeting_id, **body.model_dump()))

    @api.post("/meetings/{meeting_id}/cancellation", status_code=201, dependencies=at_meeting)
    async def cancel(meeting_id: MeetingId, body: s.Cancel) -> s.Accepted:
        return accepted(await commands.cancel(meeting_id, **body.model_dump()))

    @api.post("/meetings/{meeting_id}/held", status_code=201, dependencies=at_meeting)
    async def hold(meeting_id: MeetingId, body: s.HoldMeeting) -> s.Accepted:
        """The meeting took place; the whole attendance sheet and the guests may come with
        it, and all of it is saved in one transaction or not at all."""
        facts = body.model_dump(exclude={"attendance", "guests"})
        sheet = None if body.attendance is None else _marks(body.attendance)
        return accepted(
            await commands.hold(meeting_id, **facts, attendance=sheet, guests=_guests(body.guests))
        )

    @api.post("/meetings/{meeting_id}/attendance", status_code=201, dependencies=at_meeting)
    async def record(meeting_id: MeetingId, body: s.RecordAttendance) -> s.Accepted:
        """A whole meeting's attendance: one command, one event, one transaction."""
        return accepted(
            await commands.record_attendance(meeting_id, _marks(body.marks), _guests(body.guests))
        )

    @api.post(
        "/meetings/{meeting_id}/attendance/corrections", status_code=201, dependencies=at_meeting
    )
    async def correct(meeting_id: MeetingId, body: s.CorrectAttendance) -> s.Accepted:
        """Supersedes the named members' marks; the earlier marks stay in the history."""
        return accepted(
            await commands.correct_attendance(meeting_id, _marks(body.marks), reason=body.reason)
        )

    @api.post("/meetings/{meeting_id}/guests", status_code=201, dependencies=at_meeting)
    async def guests(meeting_id: MeetingId, body: s.AddGuests) -> s.Accepted:
        return accepted(await commands.add_guests(meeting_id, _guests(body.guests)))


def _marks(marks: Sequence[s.Mark]) -> list[AttendanceMark]:
    # An empty reason is no reason: the domain then asks for one where it is needed.
    return [
        AttendanceMark(member_id=m.member_id, status=m.status, reason=m.reason or None)
        for m in marks
    ]


def _guests(guests: Sequence[s.Guest]) -> list[tuple[str, CommitteeLevel]]:
    return [(g.member_id, g.level) for g in guests]
