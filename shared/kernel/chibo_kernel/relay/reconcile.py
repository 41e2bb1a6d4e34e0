"""Putting the relay's checkpoint back in step with the stream after any failure.

Acks may have been lost (the stream is ahead of the checkpoint) or JetStream may have lost
messages (it is behind): either way the relay continues from the last event of its own the
stream holds, republishing from Postgres, the truth, if it has to.

A message its store did not write (unknown msg id, or another store's `Chibo-Store`) is
quarantined, not obeyed: walking back from the tail, each foreign message is recorded and
the relay goes on from its own last event, without the expected-last-id chain for the next
message (the stream's last id is the foreigner's).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from ..envelope import MSG_ID_HEADER
from ..logging import get_logger
from ..streams import STORE_HEADER
from . import quarantine
from .checkpoint import cursor_of_event, save_checkpoint
from .rows import Cursor

log = get_logger("chibo.relay")

# How far back from the tail foreign messages are looked through in one reconciliation; a
# flood longer than this is quarantined over several (each failed publish reconciles).
WALK_BACK = 1000


@dataclass(frozen=True)
class Reconciled:
    cursor: Cursor
    tail_unknown_to_server: bool
    quarantined: int  # foreign messages found for the first time


async def reconciled(
    js: JetStreamContext, conn: asyncpg.Connection, name: str, cursor: Cursor, store: str
) -> Reconciled:
    """The cursor to continue from: the stream's last event of this store, whichever side
    of the checkpoint it is, and whether the server may not know that as its last id."""
    ours, foreign = await _last_of_ours(js, conn, name, store)
    if ours is None or ours.event_id == cursor.event_id:
        # Empty (new, purged, expired) or in step. After a server restart past the
        # duplicate window the server no longer knows its last id, so the next message
        # goes without the expectation.
        return Reconciled(cursor, True, foreign)
    log.warning(
        "relay checkpoint moved to the stream's tail", stream=name, old=cursor.key(), new=ours.key()
    )
    await save_checkpoint(conn, name, ours, 0)
    return Reconciled(ours, foreign > 0 or ours.event_id is None, foreign)


async def _last_of_ours(
    js: JetStreamContext, conn: asyncpg.Connection, name: str, store: str
) -> tuple[Cursor | None, int]:
    info = await js.stream_info(name)
    seq, first, found = info.state.last_seq, info.state.first_seq, 0
    while info.state.messages and seq >= max(first, 1) and info.state.last_seq - seq < WALK_BACK:
        try:
            msg = await js.get_msg(name, seq=seq)
        except NotFoundError:  # deleted (a purged foreigner): look further back
            seq -= 1
            continue
        headers = dict(msg.headers or {})
        stored = await _ours(conn, headers, store)
        if stored is not None:
            return stored, found
        if await quarantine.record(conn, name, seq, msg.subject or "", headers):
            found += 1
            log.error(
                "a message this service's event store did not write is on its stream; "
                "quarantined, publishing goes on",
                stream=name,
                stream_seq=seq,
                subject=msg.subject,
                msg_id=headers.get(MSG_ID_HEADER),
                store=headers.get(STORE_HEADER),
                command="relay quarantine list",
            )
        seq -= 1
    return None, found


async def _ours(conn: asyncpg.Connection, headers: dict[str, str], store: str) -> Cursor | None:
    if headers.get(STORE_HEADER, store) != store:
        return None
    msg_id = headers.get(MSG_ID_HEADER, "")
    try:
        uuid.UUID(msg_id)
    except ValueError:
        return None
    return await cursor_of_event(conn, msg_id)
