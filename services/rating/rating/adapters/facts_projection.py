"""Projecting the assignment and attendance events into the facts of one generation.

Runs inside the kernel consumer's batch transaction. Each event becomes one or two
statements; consecutive events that need the same statement go to the server as one
`executemany`, which keeps stream order (a member's transfer never overtakes their
registration) and makes a replay of a bulk command (a branch's reports of a month, a
sheet of marks) a handful of round trips instead of one per row.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import asyncpg

from chibo_kernel.consumer import ReceivedEvent
from chibo_kernel.contracts import assignment as a
from chibo_kernel.contracts import attendance as t

from .facts_schema import checked
from .staleness import Touched

Statement = tuple[str, tuple[Any, ...]]
_TABLE = re.compile(r"^(?:INSERT INTO (\w+)|UPDATE (\w+))")

_CLOSE_PERIOD = "UPDATE member_periods SET to_date = $2 WHERE member_id = $1 AND to_date IS NULL"
_OPEN_PERIOD = "INSERT INTO member_periods VALUES ($1, $2, $3, NULL)"


def _unit_created(e: a.OrgUnitCreated) -> list[Statement]:
    sql = "INSERT INTO units VALUES ($1, $2, $3, $4, $5, true) ON CONFLICT DO NOTHING"
    return [(sql, (e.unit_id, e.kind, e.name, e.parent_id, e.path))]


def _unit_moved(e: a.OrgUnitMoved) -> list[Statement]:
    return [
        (
            "UPDATE units SET path = $2::text[] || path[cardinality(old.p) + 1:] FROM "
            "(SELECT path AS p FROM units WHERE unit_id = $1) old "
            "WHERE units.path[1:cardinality(old.p)] = old.p",
            (e.unit_id, e.path),
        ),
        ("UPDATE units SET parent_id = $2 WHERE unit_id = $1", (e.unit_id, e.to_parent_id)),
    ]


def _registered(e: a.MemberRegistered) -> list[Statement]:
    return [
        (
            "INSERT INTO members VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            (e.member_id, e.full_name, e.admission_date, e.status),
        ),
        (_OPEN_PERIOD, (e.member_id, e.branch_id, e.admission_date)),
    ]


def _transferred(e: a.MemberTransferred) -> list[Statement]:
    return [
        (_CLOSE_PERIOD, (e.member_id, e.on - timedelta(days=1))),
        (_OPEN_PERIOD, (e.member_id, e.to_branch_id, e.on)),
    ]


def _standing(kind: str) -> Callable[[Any], list[Statement]]:
    def statements(e: a.MemberExempted | a.MemberSuspended) -> list[Statement]:
        sql = "INSERT INTO member_standing VALUES ($1, $2, $3, $4)"
        return [(sql, (e.member_id, kind, e.from_date, e.to_date))]

    return statements


_MARK = (
    "INSERT INTO marks VALUES ($1, $2, $3) ON CONFLICT (meeting_id, member_id) "
    "DO UPDATE SET status = excluded.status"
)
_REPORT = (
    "INSERT INTO reports VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT "
    "(member_id, month, assignment) DO UPDATE SET late = excluded.late"
)
# The big runs (a sheet of marks, a branch's month of reports) go as one statement over
# arrays: (that statement, how many leading columns are the key, the columns' types).
_BULK = {
    _MARK: (
        "INSERT INTO marks SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) "
        "ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = excluded.status",
        2,
    ),
    _REPORT: (
        "INSERT INTO reports SELECT m, mo, a, b, l, NULL FROM unnest($1::text[], $2::text[], "
        "$3::text[], $4::text[], $5::boolean[]) AS u(m, mo, a, b, l) ON CONFLICT "
        "(member_id, month, assignment) DO UPDATE SET late = excluded.late",
        3,
    ),
}


def _marks(e: t.AttendanceRecorded | t.AttendanceCorrected) -> list[Statement]:
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


STATEMENTS: dict[type[Any], Callable[[Any], list[Statement]]] = {
    a.OrgUnitCreated: _unit_created,
    a.OrgUnitRenamed: lambda e: [
        ("UPDATE units SET name = $2 WHERE unit_id = $1", (e.unit_id, e.name))
    ],
    a.OrgUnitMoved: _unit_moved,
    a.OrgUnitMerged: lambda e: [
        ("UPDATE units SET active = false WHERE unit_id = $1", (e.unit_id,))
    ],
    a.OrgUnitDissolved: lambda e: [
        ("UPDATE units SET active = false WHERE unit_id = $1", (e.unit_id,))
    ],
    a.MemberRegistered: _registered,
    a.MemberTransferred: _transferred,
    a.MemberLeft: lambda e: [(_CLOSE_PERIOD, (e.member_id, e.on - timedelta(days=1)))],
    a.TemporaryAttendanceStarted: lambda e: [
        (
            "INSERT INTO temporary_periods VALUES ($1, $2, $3, $4, $5)",
            (e.member_id, e.home_branch_id, e.host_branch_id, e.from_date, e.to_date),
        )
    ],
    a.MemberExempted: _standing("exempt"),
    a.MemberSuspended: _standing("suspended"),
    a.MemberConfirmed: lambda e: [
        ("UPDATE members SET status = 'full' WHERE member_id = $1", (e.member_id,))
    ],
    a.MemberRoleGiven: lambda e: [
        (
            "INSERT INTO roles VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            (e.member_id, e.branch_id, e.role, e.since),
        )
    ],
    a.PlanDrafted: lambda e: [
        (
            "INSERT INTO plans VALUES ($1, $2, $3, NULL) ON CONFLICT DO NOTHING",
            (e.plan_id, e.branch_id, e.year),
        )
    ],
    a.PlanAdopted: lambda e: [
        ("UPDATE plans SET adopted_on = $2 WHERE plan_id = $1", (e.plan_id, e.adopted_on))
    ],
    a.MemberAssigned: lambda e: [
        (
            "INSERT INTO assignments VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            (e.plan_id, e.member_id, "households"),
        )
    ],
    a.DutyAssigned: lambda e: [
        (
            "INSERT INTO assignments VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            (e.plan_id, e.member_id, f"{e.kind}:{e.target_id}"),
        )
    ],
    a.ReportSubmitted: lambda e: [
        (_REPORT, (e.member_id, e.month, e.assignment, e.branch_id, e.late))
    ],
    a.ReportReviewed: lambda e: [
        (
            "UPDATE reports SET evaluation = $4 WHERE member_id = $1 AND month = $2 "
            "AND assignment = $3",
            (e.member_id, e.month, e.assignment, e.evaluation),
        )
    ],
    a.ProblemRaised: lambda e: [
        (
            "INSERT INTO problems VALUES ($1, $2, $3, $4, 'open') ON CONFLICT DO NOTHING",
            (e.problem_id, e.member_id, e.branch_id, e.month),
        )
    ],
    a.ProblemEscalated: lambda e: [
        ("UPDATE problems SET status = 'escalated' WHERE problem_id = $1", (e.problem_id,))
    ],
    a.ProblemResolved: lambda e: [
        ("UPDATE problems SET status = 'resolved' WHERE problem_id = $1", (e.problem_id,))
    ],
    a.FollowingAssigned: lambda e: [
        (
            "INSERT INTO followings VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            (e.follower_id, e.year, e.level, unit),
        )
        for unit in e.unit_ids
    ],
    a.VisitQuotaSet: lambda e: [
        (
            "INSERT INTO quotas VALUES ($1, $2, $3, $4) ON CONFLICT (province_id, level, "
            "valid_from) DO UPDATE SET meetings_per_year = excluded.meetings_per_year",
            (e.province_id, e.level, e.valid_from, e.meetings_per_year),
        )
    ],
    t.MeetingScheduled: lambda e: _meeting(e, kind=e.kind, status="scheduled"),
    t.MeetingPostponed: lambda e: _meeting(e),
    t.MeetingCancelled: lambda e: _meeting(e, status="cancelled"),
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
    t.GuestAttended: lambda e: [
        (
            "INSERT INTO guest_visits VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            (e.meeting_id, e.guest_id, e.branch_id, e.held_on, e.level, e.within_assignment),
        )
    ],
}


class FactsProjection:
    """The kernel Projection for one generation's schema. After the facts, it marks the
    (unit, year) whose ratings the batch may change, or, while the consumers catch up, only
    the years; `on_marked` wakes the derivation."""

    def __init__(
        self,
        schema: str,
        first_year: int,
        on_marked: Callable[[], None] = lambda: None,
        catching_up: Callable[[], bool] = lambda: False,
    ) -> None:
        self.schema = checked(schema)
        self.first_year = first_year
        self.on_marked = on_marked
        self.catching_up = catching_up

    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None:
        """Each table's statements in stream order, consecutive identical ones as one
        executemany. Tables are written one after the other: every statement reads and
        writes its own table only, so only the order within a table matters."""
        await conn.execute(f"SET LOCAL search_path TO {self.schema}, public")
        by_table: dict[str, list[Statement]] = {}
        catching_up = self.catching_up()
        touched = Touched(self.first_year, years_only=catching_up)
        for received in events:
            make = STATEMENTS.get(type(received.event))
            if make is None:
                continue  # a type these facts do not need
            touched.add(received.event)
            for sql, args in make(received.event):
                by_table.setdefault(_table(sql), []).append((sql, args))
        for statements in by_table.values():
            run_sql, run = statements[0][0], list[tuple[Any, ...]]()
            for sql, args in statements:
                if sql != run_sql:
                    await _flush(conn, run_sql, run)
                    run_sql, run = sql, []
                run.append(args)
            await _flush(conn, run_sql, run)
        if catching_up:
            await touched.mark_years(conn)  # every unit of those years is marked later
        else:
            await touched.mark(conn)
        self.on_marked()


@functools.cache  # a handful of statements, asked for once per event
def _table(sql: str) -> str:
    match = _TABLE.match(sql)
    assert match is not None, f"a facts statement names its table first: {sql[:40]}"
    return next(g for g in match.groups() if g)


async def _flush(conn: asyncpg.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if len(rows) == 1:
        await conn.execute(sql, *rows[0])
    elif sql in _BULK:
        bulk, key = _BULK[sql]
        # One statement may not upsert a row twice: the last of a key wins, as in order.
        last = {row[:key]: row for row in rows}
        await conn.execute(bulk, *map(list, zip(*last.values(), strict=True)))
    else:
        await conn.executemany(sql, rows)
