"""The roster and the org tree, projected from the assignment service's stream.

Runs inside the kernel consumer's transaction, one member's (or unit's) events in order;
the consumer's version gate makes each apply once. Periods are kept rather than a current
branch, so the roster of any past day can be asked for, and a transfer that arrives after
the meetings it affects still puts the member on the right sheets.
"""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from chibo_contracts import assignment as a
from chibo_kernel.consumer import ConsumerSpec, EventHandler, PerEventProjection, ReceivedEvent
from chibo_kernel.keyring import ERASED_VI
from chibo_kernel.subjects import category_subjects

ASSIGNMENT_STREAM = "CHIBO_ASSIGNMENT"
# Versioned: the server keeps part of a durable consumer's configuration immutable.
CONSUMER = "attendance-roster-v1"
CATEGORIES = ("org", "member", "following")


def roster_consumer_spec(batch_size: int = 256) -> ConsumerSpec:
    return ConsumerSpec(
        name=CONSUMER,
        batch_size=batch_size,
        stream=ASSIGNMENT_STREAM,
        filter_subjects=[category_subjects("assignment", c) for c in CATEGORIES],
    )


_CLOSE_OFFICIAL = (
    "UPDATE roster_periods SET to_date = $2 WHERE member_id = $1 AND membership = 'official' "
    "AND to_date IS NULL"
)


async def _unit_created(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.OrgUnitCreated)
    await conn.execute(
        "INSERT INTO org_units VALUES ($1, $2, $3, $4, $5, true)",
        e.unit_id,
        e.kind,
        e.name,
        e.parent_id,
        e.path,
    )


async def _unit_renamed(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.OrgUnitRenamed)
    await conn.execute("UPDATE org_units SET name = $2 WHERE unit_id = $1", e.unit_id, e.name)


async def _unit_moved(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    """The unit and its whole subtree take the new path prefix."""
    e = r.event
    assert isinstance(e, a.OrgUnitMoved)
    old = await conn.fetchval("SELECT path FROM org_units WHERE unit_id = $1", e.unit_id)
    await conn.execute(
        "UPDATE org_units SET parent_id = $2 WHERE unit_id = $1", e.unit_id, e.to_parent_id
    )
    if old is not None:
        await conn.execute(
            "UPDATE org_units SET path = $2::text[] || path[cardinality($1::text[]) + 1:]"
            " WHERE path[1:cardinality($1::text[])] = $1::text[]",
            old,
            e.path,
        )


async def _unit_closed(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.OrgUnitMerged | a.OrgUnitDissolved)
    await conn.execute("UPDATE org_units SET active = false WHERE unit_id = $1", e.unit_id)


async def _registered(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.MemberRegistered | a.MemberRegisteredV2 | a.MemberRegisteredV3)
    name = shown_name(e.full_name)
    await conn.execute("INSERT INTO roster_members VALUES ($1, $2)", e.member_id, name)
    await conn.execute(
        "INSERT INTO roster_periods VALUES ($1, $2, 'official', $3, NULL)",
        e.member_id,
        e.branch_id,
        a.attending_since(e),  # version 3: a member entered late is expected at no meeting before
    )


async def _renamed(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    """A corrected name: every sheet and roster reads names from here, so all show it."""
    e = r.event
    assert isinstance(e, a.MemberRenamed)
    name = shown_name(e.full_name)
    await conn.execute(
        "UPDATE roster_members SET full_name = $2 WHERE member_id = $1", e.member_id, name
    )


def shown_name(name: str | None) -> str:
    """A sealed name whose key was destroyed (the member erased) opens as None."""
    return ERASED_VI if name is None else name


async def _transferred(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.MemberTransferred)
    await conn.execute(_CLOSE_OFFICIAL, e.member_id, e.on - timedelta(days=1))
    await conn.execute(
        "INSERT INTO roster_periods VALUES ($1, $2, 'official', $3, NULL)",
        e.member_id,
        e.to_branch_id,
        e.on,
    )


async def _left(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.MemberLeft | a.MemberLeftV2)
    await conn.execute(_CLOSE_OFFICIAL, e.member_id, e.on - timedelta(days=1))


async def _temporary(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.TemporaryAttendanceStarted)
    await conn.execute(
        "INSERT INTO roster_periods VALUES ($1, $2, 'temporary', $3, $4)",
        e.member_id,
        e.host_branch_id,
        e.from_date,
        e.to_date,
    )


async def _exempted(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.MemberExempted | a.MemberExemptedV2)
    await conn.execute(
        "INSERT INTO roster_standing VALUES ($1, 'exempt', $2, $3)",
        e.member_id,
        e.from_date,
        e.to_date,
    )


async def _suspended(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.MemberSuspended | a.MemberSuspendedV2)
    await conn.execute(
        "INSERT INTO roster_standing VALUES ($1, 'suspended', $2, $3)",
        e.member_id,
        e.from_date,
        e.to_date,
    )


async def _role(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.MemberRoleGiven)
    await conn.execute(
        "INSERT INTO roster_roles VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        e.member_id,
        e.branch_id,
        e.role,
        e.since,
    )


async def _following(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    e = r.event
    assert isinstance(e, a.FollowingAssigned)
    await conn.executemany(
        "INSERT INTO followings VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        [(e.follower_id, e.year, e.level, unit) for unit in e.unit_ids],
    )


async def _erased(conn: asyncpg.Connection, r: ReceivedEvent) -> None:
    """The member's data erased: their name shows as erased, and the reasons given for their
    absences go; the marks themselves stay, so every attendance rate stays as it was."""
    e = r.event
    assert isinstance(e, a.MemberErased)
    await conn.execute(
        "UPDATE roster_members SET full_name = $2 WHERE member_id = $1", e.member_id, ERASED_VI
    )
    await conn.execute(
        "UPDATE attendance_marks SET reason = NULL WHERE member_id = $1", e.member_id
    )


HANDLERS: dict[str, EventHandler] = {
    a.OrgUnitCreated.event_type: _unit_created,
    a.OrgUnitRenamed.event_type: _unit_renamed,
    a.OrgUnitMoved.event_type: _unit_moved,
    a.OrgUnitMerged.event_type: _unit_closed,
    a.OrgUnitDissolved.event_type: _unit_closed,
    a.MemberRegistered.event_type: _registered,
    a.MemberRegisteredV2.event_type: _registered,
    a.MemberRegisteredV3.event_type: _registered,
    a.MemberRenamed.event_type: _renamed,
    a.MemberTransferred.event_type: _transferred,
    a.MemberLeft.event_type: _left,
    a.MemberLeftV2.event_type: _left,
    a.TemporaryAttendanceStarted.event_type: _temporary,
    a.MemberExempted.event_type: _exempted,
    a.MemberExemptedV2.event_type: _exempted,
    a.MemberSuspended.event_type: _suspended,
    a.MemberSuspendedV2.event_type: _suspended,
    a.MemberRoleGiven.event_type: _role,
    a.FollowingAssigned.event_type: _following,
    a.MemberErased.event_type: _erased,
}


def roster_projection() -> PerEventProjection:
    return PerEventProjection(HANDLERS)
