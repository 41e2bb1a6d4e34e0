"""The member read models: `members` (branch, roles, standing periods) and `member_cards`
(card number to member: what member and plan files are matched on). No reason of a
standing is kept: nothing here shows one. A name erased before a rebuild reads None and is
kept as `ERASED_VI`."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent
from chibo_kernel.keyring import ERASED_VI

from ..domain.events import (
    MemberConfirmed,
    MemberExempted,
    MemberExemptedV2,
    MemberIdentityCorrected,
    MemberIdentityRecorded,
    MemberLeft,
    MemberLeftV2,
    MemberRegistered,
    MemberRegisteredV2,
    MemberRegisteredV3,
    MemberRenamed,
    MemberRoleGiven,
    MemberSuspended,
    MemberSuspendedV2,
    MemberTransferred,
    TemporaryAttendanceStarted,
)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    match event:
        case MemberRegistered() | MemberRegisteredV2() | MemberRegisteredV3():
            await conn.execute(
                "INSERT INTO members (member_id, full_name, branch_id, admission_date, status)"
                " VALUES ($1, $2, $3, $4, $5)",
                event.member_id,
                shown(event.full_name),
                event.branch_id,
                event.admission_date,
                event.status,
            )
        case MemberRenamed():
            await conn.execute(
                "UPDATE members SET full_name = $2 WHERE member_id = $1",
                event.member_id,
                shown(event.full_name),
            )
        case MemberIdentityRecorded():
            await conn.execute(
                "INSERT INTO member_cards VALUES ($1, $2, $3)",
                event.card_number,
                event.member_id,
                event.birth_date,
            )
        case MemberIdentityCorrected():
            await conn.execute(
                "UPDATE member_cards SET card_number = $2, birth_date = $3 WHERE member_id = $1",
                event.member_id,
                event.card_number,
                event.birth_date,
            )
        case MemberRoleGiven():
            await conn.execute(
                "UPDATE members SET roles = array_append(roles, $2) WHERE member_id = $1",
                event.member_id,
                event.role,
            )
        case MemberExempted() | MemberExemptedV2():
            await conn.execute(
                "UPDATE members SET exempt_from = $2, exempt_to = $3 WHERE member_id = $1",
                event.member_id,
                event.from_date,
                event.to_date,
            )
        case MemberTransferred():
            await conn.execute(
                "UPDATE members SET branch_id = $2, roles = '{}' WHERE member_id = $1",
                event.member_id,
                event.to_branch_id,
            )
        case MemberSuspended() | MemberSuspendedV2():
            await conn.execute(
                "UPDATE members SET suspended_from = $2, suspended_to = $3 WHERE member_id = $1",
                event.member_id,
                event.from_date,
                event.to_date,
            )
        case MemberConfirmed():
            await conn.execute(
                "UPDATE members SET status = 'full' WHERE member_id = $1", event.member_id
            )
        case TemporaryAttendanceStarted():
            await conn.execute(
                "UPDATE members SET temporary_branch_id = $2, temporary_from = $3,"
                " temporary_to = $4 WHERE member_id = $1",
                event.member_id,
                event.host_branch_id,
                event.from_date,
                event.to_date,
            )
        case MemberLeft() | MemberLeftV2():
            await conn.execute(
                "UPDATE members SET left_on = $2, roles = '{}' WHERE member_id = $1",
                event.member_id,
                event.on,
            )


def shown(name: str | None) -> str:
    """A name as the read model keeps it: `ERASED_VI` once the member's key is destroyed."""
    return ERASED_VI if name is None else name
