"""Parked messages: what an operator lists, fixes the cause of, and replays.

Replay runs the parked messages through the same gate and projection as live delivery, in
stream order, so a replayed aggregate continues exactly where it stopped. A message that
fails again stays parked with the new error.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..events import EventRegistry
from ..pool import LeanPool
from .batch import BatchProcessor
from .gate import Verdict
from .received import decode

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
RETURNING id, stream_seq, subject, headers, body
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
    registry: EventRegistry,
    consumer: str,
    max_deliver: int,
    ids: Sequence[int] | None = None,
) -> ReplayReport:
    async with pool.acquire() as conn, conn.transaction():
        rows = sorted(
            await conn.fetch(_CLAIM, consumer, list(ids) if ids else None),
            key=lambda r: r["stream_seq"],
        )
        if not rows:
            return ReplayReport(0, 0, 0)
        # Delivered as if for the last time: anything that cannot apply is parked again.
        incoming = [
            decode(
                subject=r["subject"],
                headers=json.loads(r["headers"]),
                body=r["body"],
                stream_seq=r["stream_seq"],
                deliveries=max_deliver,
                registry=registry,
            )
            for r in rows
        ]
        outcomes = await processor.apply(conn, incoming, isolate=True)
    verdicts = [o.verdict for o in outcomes]
    return ReplayReport(
        applied=verdicts.count(Verdict.APPLY),
        duplicates=verdicts.count(Verdict.DUPLICATE),
        still_parked=verdicts.count(Verdict.PARK),
    )
