"""The consumer's rows, written in the handler's transaction: that is what makes a
redelivery harmless."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import asyncpg

from ..pool import LeanPool
from .received import Incoming

_VERSIONS = """
SELECT stream_id, version FROM consumer_stream_versions
 WHERE consumer = $1 AND stream_id = ANY($2::text[])
"""
FOREIGN = "foreign"  # the reason of a message the stream's owner did not write
_PARKED_STREAMS = """
SELECT DISTINCT stream_id FROM parked_messages
 WHERE consumer = $1 AND stream_id = ANY($2::text[]) AND replayed_at IS NULL
   AND reason <> 'foreign'
"""
_SAVE_VERSIONS = """
INSERT INTO consumer_stream_versions (consumer, stream_id, version)
SELECT $1, s, v FROM unnest($2::text[], $3::int[]) AS u(s, v)
ON CONFLICT (consumer, stream_id) DO UPDATE SET version = excluded.version
"""
_SAVE_POSITION = """
INSERT INTO consumer_positions (consumer, stream_seq, applied, updated_at)
VALUES ($1, $2, $3, now())
ON CONFLICT (consumer) DO UPDATE
   SET stream_seq = greatest(consumer_positions.stream_seq, excluded.stream_seq),
       applied = consumer_positions.applied + excluded.applied, updated_at = now()
"""
_PARK = """
INSERT INTO parked_messages
  (consumer, stream_seq, subject, event_id, event_type, stream_id, version, headers, body,
   reason, error, deliveries)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12)
ON CONFLICT (consumer, stream_seq) DO UPDATE
   SET reason = excluded.reason, error = excluded.error, deliveries = excluded.deliveries,
       parked_at = now(), replayed_at = NULL
"""
_MAX_TEXT = 4096
_OPEN_PARKED = "SELECT count(*) FROM parked_messages WHERE consumer = $1 AND replayed_at IS NULL"


async def load_versions(
    conn: asyncpg.Connection, consumer: str, streams: list[str]
) -> dict[str, int]:
    rows = await conn.fetch(_VERSIONS, consumer, streams)
    return {row["stream_id"]: row["version"] for row in rows}


async def load_parked_streams(
    conn: asyncpg.Connection, consumer: str, streams: list[str]
) -> set[str]:
    rows = await conn.fetch(_PARKED_STREAMS, consumer, streams)
    return {row["stream_id"] for row in rows}


async def save_versions(
    conn: asyncpg.Connection, consumer: str, versions: Mapping[str, int]
) -> None:
    if versions:
        await conn.execute(_SAVE_VERSIONS, consumer, list(versions), list(versions.values()))


async def save_position(
    conn: asyncpg.Connection, consumer: str, stream_seq: int, applied: int
) -> None:
    await conn.execute(_SAVE_POSITION, consumer, stream_seq, applied)


async def park(conn: asyncpg.Connection, consumer: str, message: Incoming, reason: str) -> None:
    env = message.envelope
    await conn.execute(
        _PARK,
        consumer,
        message.stream_seq,
        message.subject,
        str(env.id) if env else _storable(message.headers.get("Nats-Msg-Id")),
        env.type if env else _storable(message.headers.get("ce-type")),
        env.subject if env else None,
        env.stream_version if env else None,
        json.dumps({_storable(k): _storable(v) for k, v in message.headers.items()}),
        message.body,
        _storable(reason.split(":", 1)[0]),
        _storable(reason),
        message.deliveries,
    )


def _storable(text: str | None) -> str | None:
    """PostgreSQL text and jsonb cannot hold NUL, and a hostile message must still be
    parked, or its batch would fail for ever: NUL is kept visible as U+FFFD; long values
    are cut (the body, kept whole, is what a replay reads)."""
    if text is None:
        return None
    return text.replace("\x00", "\ufffd")[:_MAX_TEXT]


async def count_open_parked(conn: asyncpg.Connection | LeanPool, consumer: str) -> int:
    value = await conn.fetchval(_OPEN_PARKED, consumer)
    return int(value)


def streams_of(messages: Iterable[Incoming]) -> list[str]:
    return sorted({m.stream_id for m in messages if m.stream_id})


# Deliveries the consumer asked to see again (a nak: a gap, a failing projection), until
# they are settled: a durable consumer recreated from the checkpoint starts at the earliest
# of them, since they may lie below the checkpoint that later batches moved past.
_WAIT = """
INSERT INTO consumer_waiting (consumer, stream_seq) SELECT $1, unnest($2::bigint[])
ON CONFLICT DO NOTHING
"""
_SETTLED = "DELETE FROM consumer_waiting WHERE consumer = $1 AND stream_seq = ANY($2::bigint[])"
_ANY_WAITING = "SELECT exists(SELECT FROM consumer_waiting WHERE consumer = $1)"
_RESUME = """
SELECT least((SELECT min(stream_seq) FROM consumer_waiting WHERE consumer = $1),
             (SELECT stream_seq + 1 FROM consumer_positions WHERE consumer = $1))
"""
_CHECKPOINT = "SELECT stream_seq FROM consumer_positions WHERE consumer = $1"


async def note_waiting(
    conn: asyncpg.Connection, consumer: str, waiting: list[int], settled: list[int], known: bool
) -> bool:
    """Record the batch's naks and forget settled ones; returns whether any remain. `known`
    False skips the delete (nothing was waiting), the common case costing no statement."""
    if waiting:
        await conn.execute(_WAIT, consumer, waiting)
    if not known or not settled:
        return known or bool(waiting)
    await conn.execute(_SETTLED, consumer, settled)
    return bool(await conn.fetchval(_ANY_WAITING, consumer))


async def any_waiting(conn: asyncpg.Connection, consumer: str) -> bool:
    return bool(await conn.fetchval(_ANY_WAITING, consumer))


async def resume_seq(pool: LeanPool, consumer: str) -> int | None:
    """Where a recreated durable consumer starts; None before anything was checkpointed."""
    value = await pool.fetchval(_RESUME, consumer)
    return None if value is None else int(value)


async def checkpoint(pool: LeanPool, consumer: str) -> int:
    return int(await pool.fetchval(_CHECKPOINT, consumer) or 0)


_STREAM_CREATED = "SELECT stream_created FROM consumer_streams WHERE consumer = $1"
_REMEMBER_STREAM = """
INSERT INTO consumer_streams (consumer, stream_created) VALUES ($1, $2)
ON CONFLICT (consumer) DO UPDATE SET stream_created = excluded.stream_created
"""
_FORGET_POSITION = """
WITH w AS (DELETE FROM consumer_waiting WHERE consumer = $1)
UPDATE consumer_positions SET stream_seq = 0 WHERE consumer = $1
"""


async def stream_created(pool: LeanPool, consumer: str) -> str | None:
    value = await pool.fetchval(_STREAM_CREATED, consumer)
    return None if value is None else str(value)


async def remember_stream(pool: LeanPool, consumer: str, created: str | None) -> None:
    await pool.execute(_REMEMBER_STREAM, consumer, created)


async def forget_position(pool: LeanPool, consumer: str) -> None:
    """The stream was replaced: its sequences start again, the versions still hold."""
    await pool.execute(_FORGET_POSITION, consumer)
