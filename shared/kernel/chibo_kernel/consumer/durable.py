"""A durable consumer as the server and the database see it, outside its fetch loop: how
much it still has to do, and forgetting it once a newer generation has replaced it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import asyncpg
from nats.js import JetStreamContext

from .spec import ConsumerSpec


async def pending(js: JetStreamContext, spec: ConsumerSpec) -> int | None:
    """Messages not yet delivered plus those delivered and not acknowledged (acks follow
    the commit, so 0 means all applied); None while the consumer is not on the server."""
    try:
        info = await js.consumer_info(spec.stream, spec.name)
    except Exception:  # not bound yet (its stream may not exist): unknown
        return None
    return int(info.num_pending or 0) + int(info.num_ack_pending or 0)


async def forget(
    js: JetStreamContext, conn: asyncpg.Connection, specs: Sequence[ConsumerSpec]
) -> None:
    """Delete the durable consumers from the server and their bookkeeping (in `conn`'s
    transaction); parked messages stay, for the record."""
    for spec in specs:
        with contextlib.suppress(Exception):  # already gone is fine
            await js.delete_consumer(spec.stream, spec.name)
    names = [spec.name for spec in specs]
    for table in (
        "consumer_stream_versions",
        "consumer_positions",
        "consumer_waiting",
        "consumer_streams",
    ):
        await conn.execute(f"DELETE FROM {table} WHERE consumer = ANY ($1::text[])", names)
