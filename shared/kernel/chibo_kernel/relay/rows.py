"""Reading the outbox in commit-safe order and turning rows into NATS messages.

The order is (tx_id, position), read only below `pg_snapshot_xmin`: every transaction with
an xid under the oldest running one has finished, so no row can still appear below the
checkpoint. Ordering by position alone would let a later-committing, earlier-numbered row
slip behind a checkpoint and be skipped for ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..envelope import binary_headers
from ..streams import STORE_HEADER
from ..subjects import checked_event_subject

# Postgres hands back text ready for the headers: the relay is bound by client CPU.
BATCH_SQL = """
SELECT tx_id::text AS tx, position, event_id::text, stream_id, version::text, event_type, data,
       to_json(recorded_at) #>> '{}' AS time,
       coalesce(metadata ->> 'correlation_id', '') AS correlation_id,
       metadata ->> 'causation_id' AS causation_id,
       metadata ->> 'actor' AS actor, metadata ->> 'role' AS actor_role,
       ARRAY(SELECT jsonb_array_elements_text(metadata -> 'org_path')) AS org_path,
       metadata ? 'private' AS private, metadata ->> 'data_subject' AS data_subject,
       CASE WHEN metadata ? 'sealed' THEN array_to_string(
           ARRAY(SELECT jsonb_array_elements_text(metadata -> 'sealed')), ',') END AS sealed
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
    """A place in the relay order, and the id of the last event published up to it: private
    events are passed over, and the chain of expected last ids runs over published ones."""

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


def to_message(row: Any, source: str, store: str = "") -> OutgoingMessage:
    event_id, event_type, stream_id = row["event_id"], row["event_type"], row["stream_id"]
    headers = binary_headers(
        event_id=event_id,
        source=source,
        event_type=event_type,
        time=row["time"],
        subject=stream_id,
        stream_version=row["version"],
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        actor=row["actor"],
        actor_role=row["actor_role"],
        # A published event sealed on the stream: whose key, which fields (see `sealing`).
        data_subject=row.get("data_subject"),
        sealed=row.get("sealed"),
    )
    if store:  # the event store that wrote it: consumers park what the stream's owner did not
        headers[STORE_HEADER] = store
    return OutgoingMessage(
        cursor=Cursor(row["tx"], row["position"], event_id),
        subject=checked_event_subject(event_type, stream_id, row["org_path"]),
        headers=headers,
        body=row["data"].encode(),
    )
