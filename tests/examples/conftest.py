"""The FastStream example as another system runs it, on two backends: FastStream's in-memory
TestNatsBroker, and the session's real NATS with a stream of the test's own, declared as a
service declares its stream. The same tests run on both; only starting and waiting differ.

The examples are scripts, not a package: their directory goes on the import path."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import nats
import pytest
from faststream.nats import TestNatsBroker
from kernel.support import eventually, new_service
from prometheus_client import CollectorRegistry

from chibo_kernel.streams import StreamSpec, declare_stream

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.append(str(EXAMPLES))

from faststream_subscriber import Consumer, Settings, Store, build  # noqa: E402

ORG_PATH = ("LC", "VB", "VL")  # the subtree the example subscribes to: a commune


def processed(registry: CollectorRegistry, status: str | None = None) -> float:
    """What the Prometheus middleware counted as handled, over every subject; one status
    (acked, rejected, error...) or all."""
    return sum(
        sample.value
        for metric in registry.collect()
        for sample in metric.samples
        if sample.name == "faststream_received_processed_messages_total"
        and (status is None or sample.labels["status"] == status)
    )


@dataclass
class Backend:
    name: str
    settings: Settings
    consumer: Consumer

    @property
    def registry(self) -> CollectorRegistry:
        return self.consumer.registry

    def subject(self, *units: str) -> str:
        """A member_registered subject of the consumer's service, about the unit at the end
        of `units` (default: a branch in the subtree)."""
        path = ".".join(units or (*ORG_PATH, "VL-TT"))
        return f"chibo.{self.settings.service}.member.member_registered.v1.{path}._"

    def event_type(self) -> str:
        return f"chibo.{self.settings.service}.member_registered.v1"

    async def send(self, body: bytes, headers: dict[str, str], subject: str = "") -> None:
        """Publish into the service's stream (in memory: straight to the handler)."""
        await self.consumer.broker.publish(
            body, subject or self.subject(), headers=headers, stream=self.settings.stream
        )

    async def handled(self, count: int) -> None:
        """Wait until the consumer has handled `count` messages in all (in memory: at once)."""

        async def done() -> bool:
            return processed(self.registry) >= count

        await eventually(done, timeout=15, what=f"{count} message(s) handled")


Start = Callable[[Store], Awaitable[Backend]]


@pytest.fixture(params=["memory", "nats"])
async def start(request: pytest.FixtureRequest) -> AsyncIterator[Start]:
    """Builds the example around a store and starts it on the backend; stops it after."""
    service = new_service()
    nats_url = ""
    if request.param == "nats":
        nats_url = request.getfixturevalue("nats_url")
        nc = await nats.connect(nats_url)
        await declare_stream(nc.jetstream(), StreamSpec(service))  # as the service does
        await nc.drain()

    async with AsyncExitStack() as running:

        async def started(store: Store) -> Backend:
            settings = Settings(
                service,
                ORG_PATH,
                durable=f"example-{uuid.uuid4().hex[:8]}",
                nats_url=nats_url or "nats://127.0.0.1:4222",  # never dialled in memory
                ack_wait=1.0,  # a redelivery comes a second after a failure
            )
            consumer = build(settings, store)
            if nats_url:
                await consumer.broker.start()
                running.push_async_callback(consumer.broker.stop)
            else:
                await running.enter_async_context(TestNatsBroker(consumer.broker))
            return Backend(request.param, settings, consumer)

        yield started
