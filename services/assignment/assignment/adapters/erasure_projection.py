"""What an erasure scrubs in this service's read models, in the tombstone's transaction:
the name becomes "đã xóa", the card number and birth date go, and so do the free texts
written about the member (review comments, problem descriptions). Rows stay, so every count
and plan coverage stays as it was."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent
from chibo_kernel.keyring import ERASED_VI

from ..domain.events import MemberErased

SCRUB = (
    "UPDATE member_cards SET card_number = NULL, birth_date = NULL WHERE member_id = $1",
    "UPDATE reports SET comment = NULL WHERE member_id = $1",
    "UPDATE problems SET description = NULL WHERE member_id = $1",
)


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    if isinstance(event, MemberErased):
        await conn.execute(
            "UPDATE members SET full_name = $2 WHERE member_id = $1", event.member_id, ERASED_VI
        )
        for statement in SCRUB:
            await conn.execute(statement, event.member_id)
