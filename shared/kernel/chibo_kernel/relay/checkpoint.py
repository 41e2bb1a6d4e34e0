"""The relay's checkpoint: written only after JetStream acknowledged everything up to it."""

from __future__ import annotations

import asyncpg

from .rows import START, Cursor

_LOAD = """
SELECT tx_id::text AS tx, position, event_id::text FROM relay_checkpoints WHERE name = $1
"""
_SAVE = """
INSERT INTO relay_checkpoints (name, tx_id, position, event_id, published, updated_at)
VALUES ($1, $2::text::xid8, $3, $4::text::uuid, $5, now())
ON CONFLICT (name) DO UPDATE
   SET tx_id = excluded.tx_id, position = excluded.position, event_id = excluded.event_id,
       published = relay_checkpoints.published + $5, updated_at = now()
"""
_CURSOR_OF_EVENT = """
SELECT tx_id::text AS tx, position, event_id::text FROM events WHERE event_id = $1::text::uuid
"""


async def load_checkpoint(conn: asyncpg.Connection, name: str) -> Cursor:
    row = await conn.fetchrow(_LOAD, name)
    return START if row is None else Cursor(row["tx"], row["position"], row["event_id"])


async def save_checkpoint(
    conn: asyncpg.Connection, name: str, cursor: Cursor, published: int
) -> None:
    await conn.execute(_SAVE, name, cursor.tx, cursor.position, cursor.event_id, published)


async def cursor_of_event(conn: asyncpg.Connection, event_id: str) -> Cursor | None:
    row = await conn.fetchrow(_CURSOR_OF_EVENT, event_id)
    return None if row is None else Cursor(row["tx"], row["position"], row["event_id"])
