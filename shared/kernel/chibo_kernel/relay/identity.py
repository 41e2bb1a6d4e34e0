"""The event store's own id: made once by the migration, kept in the store's database, and
named in every message its relay publishes."""

from __future__ import annotations

import asyncpg

from ..pool import LeanPool

_ID = "SELECT id::text FROM event_store_identity"


async def store_identity(conn: asyncpg.Connection | LeanPool) -> str:
    value = await conn.fetchval(_ID)
    if value is None:  # a database migrated before k0005 ran its insert: never expected
        raise RuntimeError("event_store_identity is empty; run `migrate`")
    return str(value)
