"""Putting the relay's checkpoint back in step with the stream after any failure.

Acks may have been lost (the stream is ahead of the checkpoint) or JetStream may have lost
messages (it is behind): either way the relay continues from the event the stream actually
ends with, republishing from Postgres, the truth, if it has to.
"""

from __future__ import annotations

import asyncpg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ..envelope import MSG_ID_HEADER
from ..logging import get_logger
from .checkpoint import cursor_of_event, save_checkpoint
from .rows import Cursor

log = get_logger("chibo.relay")


async def reconciled(
    js: JetStreamContext, conn: asyncpg.Connection, name: str, cursor: Cursor
) -> tuple[Cursor, bool]:
    """The cursor to continue from, the stream's last stored event whichever side of the
    checkpoint it is, and whether the server may no longer know that event's id."""
    tail = await _last_msg_id(js, name)
    if tail is None:
        # Empty stream (new, purged or expired): nothing to chain to.
        return cursor, True
    if tail == cursor.event_id:
        # Already in step. After a server restart past the duplicate window the server no
        # longer knows its last id, so the next message goes without the expectation.
        return cursor, True
    stored = await cursor_of_event(conn, tail)
    if stored is None:
        raise RuntimeError(
            f"stream {name} ends with event {tail}, which this service's store "
            "does not hold; refusing to publish into a stream that is not ours"
        )
    log.warning(
        "relay checkpoint moved to the stream's tail",
        stream=name,
        old=cursor.key(),
        new=stored.key(),
    )
    await save_checkpoint(conn, name, stored, 0)
    return stored, False


async def _last_msg_id(js: JetStreamContext, name: str) -> str | None:
    info = await js.stream_info(name)
    if not info.state.messages:
        return None
    try:
        last = await js.get_msg(name, seq=info.state.last_seq)
    except NotFoundError:
        return None
    tail: str | None = (last.headers or {}).get(MSG_ID_HEADER)
    return tail
