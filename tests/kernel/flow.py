"""A service's events flowing for the fencing tests: its store, stream and relay running,
and consumers of its stream with their own metrics."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable

import asyncpg
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS

from chibo_kernel import (
    ConsumerSpec,
    EventConsumer,
    KernelMetrics,
    OutboxRelay,
    PostgresEventStore,
    StreamSpec,
    declare_stream,
)
from chibo_kernel.pool import LeanPool
from chibo_kernel.relay.identity import store_identity
from chibo_kernel.subjects import category_subjects

from .support import APPLIED_LOG_DDL, LoggingProjection, event_models, new_service


class Flow:
    def __init__(self, url: str, pool: LeanPool, broker: NatsBroker, nc: NATS) -> None:
        self.url, self.pool, self.broker, self.nc = url, pool, broker, nc
        self.service = new_service()
        self.Happened, self.Renamed, self.registry = event_models(self.service)
        self.stream = StreamSpec(self.service)
        self.store = PostgresEventStore(pool)
        self.metrics = KernelMetrics()
        self.tasks: list[asyncio.Task[None]] = []
        self.stop = asyncio.Event()

    async def start(self, *, relay: bool = True) -> Flow:
        """Declare the stream as its owner does (naming its store), start the relay."""
        self.store_id = await store_identity(self.pool)
        await declare_stream(self.nc.jetstream(), self.stream, self.store_id)
        await self.pool.execute(APPLIED_LOG_DDL)
        if relay:
            self.relay = OutboxRelay(
                database_url=self.url,
                nc=self.nc,
                stream=self.stream,
                metrics=self.metrics,
                poll_interval=0.02,
            )
            self.spawn(self.relay.run(self.stop))
        return self

    def spawn(self, work: Awaitable[None]) -> None:
        self.tasks.append(asyncio.ensure_future(work))

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(asyncio.gather(*self.tasks, return_exceptions=True), 20)

    async def append(self, aggregate: str, start: int, count: int) -> None:
        events = [self.Happened(n=start + i) for i in range(count)]
        await self.store.append(f"thing-{aggregate}", start, events)

    def spec(self, name: str, **overrides: object) -> ConsumerSpec:
        settings: dict[str, object] = dict(
            name=name,
            stream=self.stream.name,
            filter_subjects=[category_subjects(self.service, "thing")],
            max_deliver=3,
            backoff_seconds=(0.05, 0.1, 0.2),
            ack_wait_seconds=2.0,
            fetch_timeout_seconds=0.2,
            watch_seconds=0.3,
        )
        settings.update(overrides)
        return ConsumerSpec(**settings)  # type: ignore[arg-type]

    def consumer(
        self, spec: ConsumerSpec, metrics: KernelMetrics, broker: NatsBroker | None = None
    ) -> EventConsumer:
        return EventConsumer(
            spec,
            pool=self.pool,
            broker=broker or self.broker,
            registry=self.registry,
            projection=LoggingProjection(spec.name),
            metrics=metrics,
        )


def lag(metrics: KernelMetrics, consumer: EventConsumer) -> float | None:
    labels = {"consumer": consumer.spec.name, "stream": consumer.spec.stream}
    return metrics.registry.get_sample_value("chibo_consumer_lag_messages", labels)


def lag_is(
    metrics: KernelMetrics, consumer: EventConsumer, wanted: float
) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        value = lag(metrics, consumer)
        if value is None:
            return False
        return math.isnan(value) if math.isnan(wanted) else value == wanted

    return check


def recreated(metrics: KernelMetrics, consumer: EventConsumer) -> float:
    value = metrics.registry.get_sample_value(
        "chibo_consumer_recreated_total", {"consumer": consumer.spec.name}
    )
    return value or 0.0


async def checkpoint(pool: LeanPool, consumer: str) -> int:
    return int(
        await pool.fetchval(
            "SELECT stream_seq FROM consumer_positions WHERE consumer = $1", consumer
        )
        or 0
    )


async def applied_count(pool: LeanPool | asyncpg.Connection, consumer: str) -> int:
    return int(
        await pool.fetchval("SELECT count(*) FROM applied_log WHERE consumer = $1", consumer)
    )
