"""The facts statements of the attendance service's events: meetings and the marks and guest
visits recorded at them. One table per source stream, so each reads beside the contracts it
projects. Versions 1 and 2 give the same facts: v2 leaves out the reasons, which no rule
reads (an excused absence counts the same whatever its reason)."""

from __future__ import annotations

from typing import Any

from chibo_contracts import attendance as t

from .fact_statements import Bulk, Statement, StatementTable

_MARK = (
    "INSERT INTO marks VALUES ($1, $2, $3) ON CONFLICT (meeting_id, member_id) "
    "DO UPDATE SET status = excluded.status"
)
# A sheet of marks goes as one statement over arrays.
ATTENDANCE_BULK: dict[str, Bulk] = {
    _MARK: (
        "INSERT INTO marks SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) "
        "ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = excluded.status",
        2,
    ),
}


Sheet = (
    t.AttendanceRecorded | t.AttendanceCorrected | t.AttendanceRecordedV2 | t.AttendanceCorrectedV2
)


def _marks(e: Sheet) -> list[Statement]:
    return [(_MARK, (e.meeting_id, m.member_id, m.status)) for m in e.marks]


# Every meeting event is the same upsert (None leaves a column as it is), so a replayed
# year of meetings goes to the server as one executemany instead of one statement each.
_MEETING = (
    "INSERT INTO meetings AS m (meeting_id, branch_id, kind, month, status, started_at, "
    "ended_at, minutes_recorded, prepared_by_committee) "
    "VALUES ($1, $2, coalesce($3, ''), $4, coalesce($5, 'scheduled'), $6, $7, $8, $9) "
    "ON CONFLICT (meeting_id) DO UPDATE SET month = excluded.month, "
    "status = coalesce($5, m.status), started_at = coalesce($6, m.started_at), "
    "ended_at = coalesce($7, m.ended_at), "
    "minutes_recorded = coalesce($8, m.minutes_recorded), "
    "prepared_by_committee = coalesce($9, m.prepared_by_committee)"
)


def _meeting(e: Any, **values: Any) -> list[Statement]:
    later = ("status", "started_at", "ended_at", "minutes_recorded", "prepared_by_committee")
    args = (e.meeting_id, e.branch_id, values.get("kind"), e.month, *map(values.get, later))
    return [(_MEETING, args)]


ATTENDANCE_STATEMENTS: StatementTable = {
    t.MeetingScheduled: lambda e: _meeting(e, kind=e.kind, status="scheduled"),
    t.MeetingPostponed: lambda e: _meeting(e),
    t.MeetingPostponedV2: lambda e: _meeting(e),
    t.MeetingCancelled: lambda e: _meeting(e, status="cancelled"),
    t.MeetingCancelledV2: lambda e: _meeting(e, status="cancelled"),
    t.MeetingHeld: lambda e: _meeting(
        e,
        status="held",
        started_at=e.started_at,
        ended_at=e.ended_at,
        minutes_recorded=e.minutes_recorded,
        prepared_by_committee=e.prepared_by_committee,
    ),
    t.AttendanceRecorded: _marks,
    t.AttendanceCorrected: _marks,
    t.AttendanceRecordedV2: _marks,
    t.AttendanceCorrectedV2: _marks,
    t.GuestAttended: lambda e: [
        (
            "INSERT INTO guest_visits VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            (e.meeting_id, e.guest_id, e.branch_id, e.held_on, e.level, e.within_assignment),
        )
    ],
}
