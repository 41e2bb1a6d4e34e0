"""Projection lag, in events and in seconds, as operators read it from Prometheus."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS

from chibo_kernel import (
    ConsumerSpec,
    EventConsumer,
    KernelMetrics,
    ReceivedEvent,
    StreamSpec,
    declare_stream,
)
from chibo_kernel.envelope import binary_headers
from chibo_kernel.pool import LeanPool
from chibo_kernel.subjects import category_subjects, checked_event_subject

from .support import (
    APPLIED_LOG_DDL,
    LoggingProjection,
    applied_rows,
    event_models,
    eventually,
    new_service,
)

EVENTS = "chibo_consumer_lag_messages"
SECONDS = "chibo_consumer_lag_seconds"


class HeldProjection(LoggingProjection):
    """Applies the first batch, then holds every later one until released."""

    def __init__(self, consumer: str) -> None:
        super().__init__(consumer)
        self.calls = 0
        self.holding = asyncio.Event()
        self.released = asyncio.Event()

    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None:
        self.calls += 1
        if self.calls > 1:
            self.holding.set()
            await self.released.wait()
        await super().apply(conn, events)


class Lagging:
    """A stream of one service's events published with chosen CloudEvents times."""

    def __init__(self, pool: LeanPool, broker: NatsBroker, nc: NATS) -> None:
        self.pool, self.broker, self.nc = pool, broker, nc
        self.service = new_service()
        self.Happened, _, self.registry = event_models(self.service)
        self.stream = StreamSpec(self.service)

    async def start(self) -> Lagging:
        await declare_stream(self.nc.jetstream(), self.stream)
        await self.pool.execute(APPLIED_LOG_DDL)
        return self

    async def publish(self, n: int, time: datetime) -> None:
        """One event of a new aggregate, as the relay would publish it, dated `time`."""
        stream_id, event_id = f"thing-{uuid.uuid4().hex[:8]}", str(uuid.uuid4())
        event_type = self.Happened.event_type
        headers = binary_headers(
            event_id=event_id,
            source=f"/{self.service}",
            event_type=event_type,
            time=time.isoformat(),
            subject=stream_id,
            stream_version="1",
            correlation_id=event_id,
            causation_id=None,
        )
        subject = checked_event_subject(event_type, stream_id, ())
        await self.nc.jetstream().publish(
            subject, self.Happened(n=n).model_dump_json().encode(), headers=headers
        )

    async def publish_garbage(self) -> None:
        """A message without CloudEvents headers: it decodes to no envelope, so no time."""
        subject = checked_event_subject(self.Happened.event_type, "thing-garbage", ())
        await self.nc.jetstream().publish(subject, b"not even json")

    def consumer(
        self, name: str, projection: LoggingProjection, metrics: KernelMetrics, batch_size: int
    ) -> EventConsumer:
        spec = ConsumerSpec(
            name=name,
            stream=self.stream.name,
            filter_subjects=[category_subjects(self.service, "thing")],
            batch_size=batch_size,
            ack_wait_seconds=30.0,  # the held batch must not be redelivered meanwhile
            fetch_timeout_seconds=0.2,
        )
        return EventConsumer(
            spec,
            pool=self.pool,
            broker=self.broker,
            registry=self.registry,
            projection=projection,
            metrics=metrics,
        )


@pytest.fixture
async def lagging(pool: LeanPool, broker: NatsBroker, nc: NATS) -> Lagging:
    return await Lagging(pool, broker, nc).start()


@pytest.fixture
async def stop() -> AsyncIterator[asyncio.Event]:
    event = asyncio.Event()
    yield event
    event.set()


def gauge(metrics: KernelMetrics, metric: str, consumer: EventConsumer) -> float | None:
    labels = {"consumer": consumer.spec.name, "stream": consumer.spec.stream}
    return metrics.registry.get_sample_value(metric, labels)


async def test_lag_is_reported_in_events_and_seconds_until_the_consumer_catches_up(
    lagging: Lagging, stop: asyncio.Event
) -> None:
    now = datetime.now(UTC)
    # The first batch (3 messages): its last message has no time, so the one before counts.
    await lagging.publish(1, now - timedelta(hours=2))
    await lagging.publish(2, now - timedelta(hours=1))
    await lagging.publish_garbage()
    for n in range(3, 8):  # 5 more, still pending after the first batch
        await lagging.publish(n, now - timedelta(minutes=30))

    name = f"lag-{uuid.uuid4().hex[:8]}"
    projection, metrics = HeldProjection(name), KernelMetrics()
    consumer = lagging.consumer(name, projection, metrics, batch_size=3)
    task = asyncio.create_task(consumer.run(stop))
    try:
        await eventually(_is_set(projection.holding), what="the second batch to be held")
        assert gauge(metrics, EVENTS, consumer) == 5
        seconds = gauge(metrics, SECONDS, consumer)
        assert seconds is not None
        elapsed = (datetime.now(UTC) - now).total_seconds()
        # The age of the newest decoded event of the batch: one hour, not two.
        assert 3600 <= seconds <= 3600 + elapsed, seconds

        projection.released.set()
        await eventually(
            lambda: _caught_up(lagging.pool, metrics, consumer, applied=7),
            what="the consumer to catch up and report no lag",
        )
    finally:
        projection.released.set()
        stop.set()
        await asyncio.wait_for(task, 10)
    assert len(await applied_rows(lagging.pool, name)) == 7
    assert [p.reason for p in await consumer.parked()] == ["malformed"]


async def test_a_fetch_that_times_out_reports_no_lag(lagging: Lagging, stop: asyncio.Event) -> None:
    name = f"idle-{uuid.uuid4().hex[:8]}"
    metrics = KernelMetrics()
    consumer = lagging.consumer(name, LoggingProjection(name), metrics, batch_size=3)
    # Lag left over from earlier batches; the stream is empty, so every fetch times out.
    metrics.consumer_lag.labels(name, lagging.stream.name).set(12)
    metrics.consumer_lag_seconds.labels(name, lagging.stream.name).set(90)
    task = asyncio.create_task(consumer.run(stop))
    try:

        async def no_lag() -> bool:
            return gauge(metrics, EVENTS, consumer) == 0 and gauge(metrics, SECONDS, consumer) == 0

        await eventually(no_lag, what="a timed-out fetch to reset the lag")
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


def _is_set(event: asyncio.Event) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return event.is_set()

    return check


async def _caught_up(
    pool: LeanPool, metrics: KernelMetrics, consumer: EventConsumer, *, applied: int
) -> bool:
    done = len(await applied_rows(pool, consumer.spec.name)) >= applied
    return done and gauge(metrics, EVENTS, consumer) == 0 and gauge(metrics, SECONDS, consumer) == 0
