"""Parked messages: what an operator lists, fixes the cause of, and replays.

Replay runs the parked messages through the same gate and projection as live delivery, so a
replayed aggregate continues exactly where it stopped: in stream order, except that each
aggregate's own messages go in version order (version 2 may have been parked before
version 1 arrived, at a later stream sequence). A message that fails again stays parked
with the new error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from ..pool import LeanPool
from .batch import BatchProcessor
from .gate import Verdict
from .received import decode
from .sealed import Decoding

_LIST = """
SELECT id, consumer, stream_seq, subject, event_id, event_type, stream_id, version, reason,
       error, deliveries, parked_at, replayed_at
  FROM parked_messages
 WHERE consumer = $1 AND ($2 OR replayed_at IS NULL)
 ORDER BY stream_seq
"""
_CLAIM = """
UPDATE parked_messages SET replayed_at = now()
 WHERE consumer = $1 AND replayed_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2))
   AND ($3 OR reason <> 'foreign')
RETURNING id, stream_seq, subject, stream_id, version, headers, body
"""


@dataclass(frozen=True)
class ParkedMessage:
    id: int
    consumer: str
    stream_seq: int
    subject: str
    event_id: str | None
    event_type: str | None
    stream_id: str | None
    version: int | None
    reason: str
    error: str
    deliveries: int
    parked_at: datetime
    replayed_at: datetime | None


@dataclass(frozen=True)
class ReplayReport:
    applied: int
    duplicates: int
    still_parked: int


async def list_parked(
    pool: LeanPool, consumer: str, *, include_replayed: bool = False
) -> list[ParkedMessage]:
    rows = await pool.fetch(_LIST, consumer, include_replayed)
    return [ParkedMessage(**dict(row)) for row in rows]


async def replay_parked(
    pool: LeanPool,
    processor: BatchProcessor,
    decoding: Decoding,
    consumer: str,
    max_deliver: int,
    ids: Sequence[int] | None = None,
) -> ReplayReport:
    # Without the stream's owner known, a foreign message could not be told apart: it stays.
    owner_known = processor.owner is not None
    async with pool.acquire() as conn, conn.transaction():
        rows = dependency_order(
            await conn.fetch(_CLAIM, consumer, list(ids) if ids else None, owner_known)
        )
        if not rows:
            return ReplayReport(0, 0, 0)
        # Delivered as if for the last time: anything that cannot apply is parked again.
        # Sealed fields are opened as at delivery: a key found since is used now.
        incoming = [
            decode(
                subject=r["subject"],
                headers=json.loads(r["headers"]),
                body=r["body"],
                stream_seq=r["stream_seq"],
                deliveries=max_deliver,
                registry=decoding.registry,
            )
            for r in rows
        ]
        outcomes = await processor.apply(conn, await decoding.opened(incoming), isolate=True)
    verdicts = [o.verdict for o in outcomes]
    return ReplayReport(
        applied=verdicts.count(Verdict.APPLY),
        duplicates=verdicts.count(Verdict.DUPLICATE),
        still_parked=verdicts.count(Verdict.PARK),
    )


def dependency_order(rows: Sequence[asyncpg.Record]) -> list[asyncpg.Record]:
    """Stream order, with each aggregate's messages in its slots sorted by version; a
    message naming no aggregate (undecodable) keeps its own place."""
    in_stream_order = sorted(rows, key=lambda r: r["stream_seq"])

    def aggregate(row: asyncpg.Record) -> str:
        return row["stream_id"] or f"#{row['stream_seq']}"

    grouped: dict[str, list[asyncpg.Record]] = {}
    for row in in_stream_order:
        grouped.setdefault(aggregate(row), []).append(row)
    queues: dict[str, Iterator[asyncpg.Record]] = {
        key: iter(sorted(mine, key=lambda r: (r["version"] or 0, r["stream_seq"])))
        for key, mine in grouped.items()
    }
    return [next(queues[aggregate(r)]) for r in in_stream_order]
