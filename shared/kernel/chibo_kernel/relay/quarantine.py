"""Messages on the service's own stream that its event store did not write.

The relay records each one it finds (stream sequence, subject, msg id, headers) and goes
on publishing from the store; consumers park it, since it does not name the stream's
owner. An operator lists them and purges them from the stream by sequence.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ..envelope import MSG_ID_HEADER
from ..pool import LeanPool
from ..streams import STORE_HEADER

_RECORD = """
INSERT INTO relay_quarantine (stream, stream_seq, subject, msg_id, store, headers)
VALUES ($1, $2, $3, $4, $5, $6::jsonb)
ON CONFLICT (stream, stream_seq) DO NOTHING
"""
_LIST = """
SELECT id, stream, stream_seq, subject, msg_id, store, found_at, purged_at
  FROM relay_quarantine WHERE stream = $1 AND ($2 OR purged_at IS NULL) ORDER BY stream_seq
"""
_OPEN = "SELECT count(*) FROM relay_quarantine WHERE stream = $1 AND purged_at IS NULL"
_PURGED = """
UPDATE relay_quarantine SET purged_at = now() WHERE stream = $1 AND stream_seq = $2
   AND purged_at IS NULL
"""


@dataclass(frozen=True)
class QuarantinedMessage:
    id: int
    stream: str
    stream_seq: int
    subject: str
    msg_id: str | None
    store: str | None
    found_at: datetime
    purged_at: datetime | None


async def record(
    conn: asyncpg.Connection, stream: str, seq: int, subject: str, headers: Mapping[str, str]
) -> bool:
    """True if this message was not quarantined before."""
    clean = {k.replace("\x00", ""): v.replace("\x00", "") for k, v in headers.items()}
    status = await conn.execute(
        _RECORD,
        stream,
        seq,
        subject,
        clean.get(MSG_ID_HEADER),
        clean.get(STORE_HEADER),
        json.dumps(clean),
    )
    return bool(status.endswith(" 1"))


async def quarantined(
    pool: LeanPool, stream: str, *, include_purged: bool = False
) -> list[QuarantinedMessage]:
    rows = await pool.fetch(_LIST, stream, include_purged)
    return [QuarantinedMessage(**dict(row)) for row in rows]


async def count_open(conn: asyncpg.Connection | LeanPool, stream: str) -> int:
    return int(await conn.fetchval(_OPEN, stream))


async def purge(
    pool: LeanPool, js: JetStreamContext, stream: str, seqs: list[int] | None = None
) -> list[int]:
    """Delete the quarantined messages (all open ones, or those at `seqs`) from the stream
    and mark them purged; returns the sequences purged. A message already gone from the
    stream counts as purged."""
    targets = [m.stream_seq for m in await quarantined(pool, stream)]
    if seqs is not None:
        targets = [s for s in targets if s in set(seqs)]
    for seq in targets:
        with contextlib.suppress(NotFoundError):
            await js.delete_msg(stream, seq)
        await pool.execute(_PURGED, stream, seq)
    return targets
