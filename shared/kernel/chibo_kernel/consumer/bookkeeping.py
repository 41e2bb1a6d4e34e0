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
_PARKED_STREAMS = """
SELECT DISTINCT stream_id FROM parked_messages
 WHERE consumer = $1 AND stream_id = ANY($2::text[]) AND replayed_at IS NULL
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
