"""Test support for the kernel: per-test event models, and reading a stream back."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import ClassVar

from chibo_kernel import DomainEvent, EventRegistry
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy


def new_service() -> str:
    """A service name of our own, so every test has its own stream and subjects."""
    return "t" + uuid.uuid4().hex[:10]


def event_models(service: str) -> tuple[type[DomainEvent], type[DomainEvent], EventRegistry]:
    class ThingHappened(DomainEvent):
        event_type: ClassVar[str] = f"chibo.{service}.thing_happened.v1"
        n: int
        note: str = ""

    class ThingRenamed(DomainEvent):
        event_type: ClassVar[str] = f"chibo.{service}.thing_renamed.v1"
        name: str

    return ThingHappened, ThingRenamed, EventRegistry([ThingHappened, ThingRenamed])


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
