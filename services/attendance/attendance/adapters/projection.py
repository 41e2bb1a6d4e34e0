"""The service's own read models (meetings, marks, guests), written inside the append's
transaction, so reads see their writes and never disagree with the events. A v1 event
carries its reason; a v2 one's comes from the private event appended right after it, in the
same transaction (and so in the same order on a rebuild)."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent
from chibo_kernel.clock import local_date
from chibo_kernel.store import per_event

from ..domain.events import (
    AbsenceReasonRecorded,
    AttendanceCorrected,
    AttendanceCorrectedV2,
    AttendanceRecorded,
    AttendanceRecordedV2,
    CancellationReasonRecorded,
    GuestAttended,
    MeetingCancelled,
    MeetingCancelledV2,
    MeetingHeld,
    MeetingPostponed,
    MeetingPostponedV2,
    MeetingScheduled,
)

CORRECTIONS = (AttendanceCorrected, AttendanceCorrectedV2)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
        case MeetingScheduled():
            await conn.execute(
                "INSERT INTO meetings (meeting_id, branch_id, year, kind, month, status, "
                "scheduled_for, place, topic, extra_reason) "
                "VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7, $8, $9)",
                event.meeting_id,
                event.branch_id,
                local_date(event.scheduled_for).year,
                event.kind,
                event.month,
                event.scheduled_for,
                event.place,
                event.topic,
                event.extra_reason,
            )
        case MeetingPostponed() | MeetingPostponedV2():
            await conn.execute(
                "UPDATE meetings SET scheduled_for = $2, month = $3, "
                "postponements = postponements + 1 WHERE meeting_id = $1",
                event.meeting_id,
                event.to_time,
                event.month,
            )
        case MeetingCancelled() | MeetingCancelledV2():
            await conn.execute(
                "UPDATE meetings SET status = 'cancelled', cancel_reason = $2 "
                "WHERE meeting_id = $1",
                event.meeting_id,
                getattr(event, "reason", None),
            )
        case CancellationReasonRecorded():
            await conn.execute(
                "UPDATE meetings SET cancel_reason = $2 WHERE meeting_id = $1",
                event.meeting_id,
                event.reason,
            )
        case MeetingHeld():
            await conn.execute(
                "UPDATE meetings SET status = 'held', started_at = $2, ended_at = $3, "
                "place = $4, chair_id = $5, minutes_recorded = $6, prepared_by_committee = $7 "
                "WHERE meeting_id = $1",
                event.meeting_id,
                event.started_at,
                event.ended_at,
                event.place,
                event.chair_id,
                event.minutes_recorded,
                event.prepared_by_committee,
            )
        case (
            AttendanceRecorded()
            | AttendanceCorrected()
            | AttendanceRecordedV2()
            | AttendanceCorrectedV2()
        ):
            corrected = int(isinstance(event, CORRECTIONS))
            await conn.execute(
                "UPDATE meetings SET recorded = true WHERE meeting_id = $1", event.meeting_id
            )
            await conn.executemany(
                "INSERT INTO attendance_marks VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = excluded.status, "
                "reason = excluded.reason, corrections = attendance_marks.corrections + 1",
                [
                    (event.meeting_id, m.member_id, m.status, getattr(m, "reason", None), corrected)
                    for m in event.marks
                ],
            )
        case AbsenceReasonRecorded():
            await conn.execute(
                "UPDATE attendance_marks SET reason = $3 WHERE meeting_id = $1 AND member_id = $2",
                event.meeting_id,
                event.member_id,
                event.reason,
            )
        case GuestAttended():
            await conn.execute(
                "INSERT INTO guest_visits VALUES ($1, $2, $3, $4, $5, $6)",
                event.meeting_id,
                event.guest_id,
                event.branch_id,
                event.held_on,
                event.level,
                event.within_assignment,
            )


project = per_event(apply)
