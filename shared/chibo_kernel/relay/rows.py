"""Reading the outbox in commit-safe order and turning rows into NATS messages.

The order is (tx_id, position), read only below `pg_snapshot_xmin`: every transaction with
an xid under the oldest running one has finished, so no row can still appear below the
checkpoint. Ordering by position alone would let a later-committing, earlier-numbered row
slip behind a checkpoint and be skipped for ever.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..envelope import Envelope
from ..subjects import event_subject

BATCH_SQL = """
SELECT tx_id::text AS tx, position, event_id, stream_id, version, event_type, data, metadata,
       recorded_at
  FROM events
 WHERE (tx_id, position) > ($1::text::xid8, $2::bigint)
   AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
 ORDER BY tx_id, position
 LIMIT $3
"""

LAG_SQL = """
SELECT count(*) AS events, min(recorded_at) AS oldest FROM (
  SELECT recorded_at FROM events WHERE (tx_id, position) > ($1::text::xid8, $2::bigint)
  ORDER BY tx_id, position LIMIT $3) pending
"""


@dataclass(frozen=True, slots=True)
class Cursor:
    """A place in the relay order, with the id of the event published there."""

    tx: str
    position: int
    event_id: str | None

    def key(self) -> tuple[int, int]:
        return int(self.tx), self.position


START = Cursor("0", 0, None)


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    cursor: Cursor
    subject: str
    headers: dict[str, str]
    body: bytes
    recorded_at: datetime


def to_message(row: Any, source: str) -> OutgoingMessage:
    meta = json.loads(row["metadata"])
    envelope = Envelope(
        id=row["event_id"],
        source=source,
        type=row["event_type"],
        time=row["recorded_at"],
        subject=row["stream_id"],
        stream_version=row["version"],
        correlation_id=meta.get("correlation_id", ""),
        causation_id=meta.get("causation_id"),
        data=row["data"].encode(),
    )
    return OutgoingMessage(
        cursor=Cursor(row["tx"], row["position"], str(row["event_id"])),
        subject=event_subject(row["event_type"], row["stream_id"], meta.get("org_path", ())),
        headers=envelope.to_headers(),
        body=envelope.data,
        recorded_at=row["recorded_at"],
    )
