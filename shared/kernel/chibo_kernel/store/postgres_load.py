"""Reading a stream back from PostgreSQL, its sealed fields opened.

A private stream's rows come with their person's key row, joined on the subject that each
row's metadata names: opening them costs no second round trip however cold the key cache
is, and an erasure made by any instance is seen at once. That join needs `data_keys` in
this database: where the keys live in the province's keyring database instead, the rows
come alone and the keyring reads their keys (one query per load, none when cached).
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ConfigurationError
from ..keyring import KeyRow, PostgresKeyring
from ..subjects import PRIVATE_SUFFIX
from .recorded import RecordedEvent
from .sealing import SUBJECT_KEY, KeySource, open_recorded

_COLUMNS = (
    "e.position, e.stream_id, e.version, e.event_id, e.event_type, e.data, e.metadata, "
    "e.recorded_at"
)
_LOAD = f"""
SELECT {_COLUMNS}
  FROM events e WHERE e.stream_id = $1 AND e.version > $2 ORDER BY e.version
"""
_LOAD_PRIVATE = f"""
SELECT {_COLUMNS}, k.subject_id AS key_subject, k.wrapped_key, k.master_key_id, k.destroyed_at
  FROM events e LEFT JOIN data_keys k ON k.subject_id = e.metadata->>'{SUBJECT_KEY}'
 WHERE e.stream_id = $1 AND e.version > $2 ORDER BY e.version
"""


async def load_stream(
    source: Any, keys: KeySource, stream_id: str, after_version: int, conn: Any = None
) -> list[RecordedEvent]:
    """`source`: the pool, or the keyed command's connection (then also `conn`)."""
    private = stream_id.split("-", 1)[0].endswith(PRIVATE_SUFFIX)
    joined = private and _keys_here(keys)
    rows = await source.fetch(_LOAD_PRIVATE if joined else _LOAD, stream_id, after_version)
    recorded = [
        RecordedEvent(
            position=row["position"],
            stream_id=row["stream_id"],
            version=row["version"],
            event_id=row["event_id"],
            event_type=row["event_type"],
            data=row["data"],
            metadata=json.loads(row["metadata"]),
            recorded_at=row["recorded_at"],
        )
        for row in rows
    ]
    known = {
        row["key_subject"]: KeyRow(
            row["key_subject"],
            bytes(row["wrapped_key"]) if row["wrapped_key"] is not None else None,
            row["master_key_id"],
            row["destroyed_at"],
        )
        for row in rows
        if joined and row["key_subject"] is not None
    }
    return await open_recorded(keys, recorded, conn, known)


def _keys_here(keys: KeySource) -> bool:
    try:
        keyring = keys()
    except ConfigurationError:  # no master key: a store made for plaintext rows (the join
        return True  # is harmless); a sealed row then asks for the key, and says so
    return isinstance(keyring, PostgresKeyring) and keyring.own_database
