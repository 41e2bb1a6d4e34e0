"""What an erasure scrubs in this service's read models, in the tombstone's transaction:
the name becomes "đã xóa", the card number and birth date go, and so do the free texts
written about the member (review comments, problem descriptions). Rows stay, so every count
and plan coverage stays as it was."""

from __future__ import annotations

import asyncpg

from chibo_kernel import DomainEvent
from chibo_kernel.keyring import ERASED_VI

from ..domain.events import MemberErased
from .import_job_erasure import scrub_import_jobs

SCRUB = (
    "UPDATE member_cards SET card_number = NULL, birth_date = NULL WHERE member_id = $1",
    "UPDATE reports SET comment = NULL WHERE member_id = $1",
    "UPDATE problems SET description = NULL WHERE member_id = $1",
)

_KNOWN = """
SELECT m.full_name, c.card_number
  FROM members m LEFT JOIN member_cards c USING (member_id)
 WHERE m.member_id = $1
"""


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    if isinstance(event, MemberErased):
        known = await conn.fetchrow(_KNOWN, event.member_id)
        if known is not None:
            await scrub_import_jobs(conn, known["full_name"], known["card_number"])
        await conn.execute(
            "UPDATE members SET full_name = $2 WHERE member_id = $1", event.member_id, ERASED_VI
        )
        for statement in SCRUB:
            await conn.execute(statement, event.member_id)
