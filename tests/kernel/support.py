"""Test support for the kernel: per-test event models, and reading a stream back."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar

import asyncpg
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from chibo_kernel import DomainEvent, EventRegistry, ReceivedEvent
from chibo_kernel.pool import LeanPool


def new_service() -> str:
    """A service name of our own, so every test has its own stream and subjects."""
    return "t" + uuid.uuid4().hex[:10]


class ThingHappened(DomainEvent):
    """Fields only; each test subclasses it under an event type of its own service."""

    n: int
    note: str = ""


class ThingRenamed(DomainEvent):
    name: str


def event_models(
    service: str,
) -> tuple[type[ThingHappened], type[ThingRenamed], EventRegistry]:
    class Happened(ThingHappened):
        event_type: ClassVar[str] = f"chibo.{service}.thing_happened.v1"

    class Renamed(ThingRenamed):
        event_type: ClassVar[str] = f"chibo.{service}.thing_renamed.v1"

    return Happened, Renamed, EventRegistry([Happened, Renamed])


async def read_stream(js: JetStreamContext, stream: str) -> list[Msg]:
    """Every message of a stream, in stream order, through an ephemeral consumer."""
    info = await js.stream_info(stream)
    total = info.state.messages
    config = ConsumerConfig(ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL)
    sub = await js.pull_subscribe(">", stream=stream, config=config)
    messages: list[Msg] = []
    try:
        while len(messages) < total:
            messages.extend(await sub.fetch(min(1000, total - len(messages)), timeout=5))
    finally:
        await sub.unsubscribe()
    return messages


async def eventually(
    condition: Callable[[], Awaitable[bool]], *, timeout: float = 30.0, what: str = "condition"
) -> None:
    """Poll a condition until it holds; fail with `what` if the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        if await condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.02)


APPLIED_LOG_DDL = """
CREATE TABLE IF NOT EXISTS applied_log (
    id bigserial PRIMARY KEY,
    consumer text NOT NULL,
    stream_id text NOT NULL,
    version int NOT NULL,
    event_id uuid NOT NULL
)
"""


class LoggingProjection:
    """Appends one row per application, with no uniqueness: a double apply shows up.

    `poison` names event payload values of `n` that make the projection raise while
    `poisoned` is true; `batch_delay` stretches each transaction so a kill lands mid-batch.
    """

    def __init__(self, consumer: str, *, poison: set[int] | None = None, batch_delay: float = 0):
        self.consumer = consumer
        self.poison = poison or set()
        self.poisoned = True
        self.batch_delay = batch_delay

    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None:
        for received in events:
            n = getattr(received.event, "n", None)
            if self.poisoned and n in self.poison:
                raise ValueError(f"poison event n={n}")
        if self.batch_delay:
            await conn.execute("SELECT pg_sleep($1)", self.batch_delay)
        await conn.execute(
            """INSERT INTO applied_log (consumer, stream_id, version, event_id)
               SELECT $1, s, v, e FROM unnest($2::text[], $3::int[], $4::uuid[]) AS u(s, v, e)""",
            self.consumer,
            [r.envelope.subject for r in events],
            [r.envelope.stream_version for r in events],
            [r.envelope.id for r in events],
        )


async def applied_rows(pool: LeanPool, consumer: str) -> list[asyncpg.Record]:
    return list(
        await pool.fetch(
            "SELECT stream_id, version, event_id FROM applied_log WHERE consumer = $1 ORDER BY id",
            consumer,
        )
    )


def headers(msg: Msg) -> dict[str, str]:
    return dict(msg.headers or {})


def assert_each_applied_once_in_order(rows: Sequence[asyncpg.Record], expected: int) -> None:
    ids = [r["event_id"] for r in rows]
    assert len(ids) == expected, f"{len(ids)} applications for {expected} events"
    assert len(set(ids)) == expected, "an event was applied twice"
    last: dict[str, int] = {}
    for r in rows:
        assert r["version"] == last.get(r["stream_id"], 0) + 1, (r["stream_id"], r["version"])
        last[r["stream_id"]] = r["version"]
