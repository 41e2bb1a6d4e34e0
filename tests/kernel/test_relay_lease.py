"""Two relays of one service on one database, as two instances run them: one publishes, the
other waits on the lease and takes over when the leader's session ends; a relay that led
before and now follows reports no lag of its own (the leader measures it)."""

from __future__ import annotations

import asyncio
import time

from nats.aio.client import Client as NATS

from chibo_kernel import KernelMetrics, OutboxRelay, PostgresEventStore, StreamSpec, declare_stream
from chibo_kernel.pool import LeanPool

from .support import event_models, eventually, new_service, read_stream


def published(metrics: KernelMetrics) -> float:
    return float(metrics.relay_published._value.get())


async def test_one_relay_publishes_the_other_takes_over_and_reports_no_stale_lag(
    kernel_db: str, pool: LeanPool, nc: NATS
) -> None:
    service = new_service()
    Happened, _, _ = event_models(service)
    spec = StreamSpec(service)
    await declare_stream(nc.jetstream(), spec)
    first, second = KernelMetrics(), KernelMetrics()
    relays = [
        OutboxRelay(database_url=kernel_db, nc=nc, stream=spec, metrics=m) for m in (first, second)
    ]
    stops = [asyncio.Event(), asyncio.Event()]
    tasks = [asyncio.create_task(relays[0].run(stops[0]))]

    async def leading(n: int) -> bool:
        return relays[n].is_leader

    store = PostgresEventStore(pool)
    try:
        await eventually(lambda: leading(0), timeout=10, what="the first relay to lead")
        tasks.append(asyncio.create_task(relays[1].run(stops[1])))
        await store.append("thing-1", 0, [Happened(n=1)])
        await eventually(lambda: _at_least(first, 1), timeout=10, what="the leader to publish")
        assert (relays[1].is_leader, published(second)) == (False, 0.0)

        stops[0].set()  # the leader's session ends
        await tasks[0]
        ended = time.monotonic()
        await store.append("thing-1", 1, [Happened(n=2)])
        await eventually(lambda: _at_least(second, 1), timeout=10, what="the second to publish")
        took_over = time.monotonic() - ended

        # The first comes back to follow, with the figures of its last lead still set.
        first.relay_lag_seconds.set(500)
        first.relay_lag_events.set(42)
        first.relay_quarantine_open.set(1)
        stops[0] = asyncio.Event()
        tasks[0] = asyncio.create_task(relays[0].run(stops[0]))

        async def zeroed() -> bool:
            gauges = (first.relay_lag_seconds, first.relay_lag_events, first.relay_quarantine_open)
            return all(g._value.get() == 0 for g in gauges)

        await eventually(zeroed, timeout=10, what="the follower's lag figures zeroed")
        await store.append("thing-1", 2, [Happened(n=3)])
        await eventually(lambda: _at_least(second, 2), timeout=10, what="the leader to publish")
        assert (relays[0].is_leader, published(first)) == (False, 1.0)
    finally:
        for stop in stops:
            stop.set()
        await asyncio.gather(*tasks)

    ids = [(m.headers or {})["Nats-Msg-Id"] for m in await read_stream(nc.jetstream(), spec.name)]
    assert len(ids) == len(set(ids)) == 3  # each event on the stream once
    assert took_over < 2.5  # the lease is tried once a second


async def _at_least(metrics: KernelMetrics, count: int) -> bool:
    return published(metrics) >= count
