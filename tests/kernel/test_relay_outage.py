"""nats-server SIGKILLed and restarted while 10,000 events are appended: each arrives once."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from chibo_kernel import KernelMetrics, OutboxRelay, PostgresEventStore, StreamSpec, declare_stream
from chibo_kernel.nats_client import connect_nats
from chibo_kernel.pool import LeanPool
from chibo_tools.embedded.nats import EmbeddedNats

from .support import event_models, eventually, headers, new_service, read_stream

TOTAL = 10_000
WRITERS = 8


@pytest.fixture
def own_nats(tmp_path: Path) -> Iterator[EmbeddedNats]:
    server = EmbeddedNats(tmp_path / "nats")
    server.start()
    yield server
    server.stop()


async def test_every_event_reaches_the_stream_exactly_once_across_nats_crashes(
    kernel_db: str, pool: LeanPool, own_nats: EmbeddedNats
) -> None:
    service = new_service()
    Happened, _, _ = event_models(service)
    metrics = KernelMetrics()
    store = PostgresEventStore(pool, metrics)
    nc = await connect_nats(own_nats.url, name="relay-under-test", reconnect_wait=0.1)
    spec = StreamSpec(service)
    await declare_stream(nc.jetstream(), spec)
    relay = OutboxRelay(
        database_url=kernel_db,
        nc=nc,
        stream=spec,
        metrics=metrics,
        batch_size=500,
        ack_timeout=2.0,
        max_backoff=0.5,
    )
    stop = asyncio.Event()
    relay_task = asyncio.create_task(relay.run(stop))

    appended = 0

    async def writer(w: int) -> None:
        nonlocal appended
        rng = random.Random(w)
        versions: dict[str, int] = defaultdict(int)
        for i in range(TOTAL // WRITERS):
            stream = f"thing-w{w}-{rng.randrange(40)}"  # several versions per stream
            versions[stream] = await store.append(stream, versions[stream], [Happened(n=i)])
            appended += 1

    async def appended_at_least(n: int) -> bool:
        return appended >= n

    async def relay_failed_since(errors: float) -> bool:
        return bool(metrics.relay_errors._value.get() > errors)

    async def published() -> int:
        assert not relay_task.done(), relay_task  # the relay must never die
        return int(metrics.relay_published._value.get())

    writers = asyncio.gather(*(writer(w) for w in range(WRITERS)))
    for crash_at in (2_000, 6_000):
        await eventually(partial(appended_at_least, crash_at), what=f"{crash_at} appends")
        await asyncio.to_thread(own_nats.kill)
        before = await published()
        errors = metrics.relay_errors._value.get()
        await eventually(partial(appended_at_least, crash_at + 1_000), what="appends while down")
        await eventually(partial(relay_failed_since, errors), what="the relay to notice")
        assert await published() - before < 1_000, "the relay cannot publish with NATS dead"
        await asyncio.to_thread(own_nats.restart)
    await writers

    async def caught_up() -> bool:
        # Counted on the stream, not in PubAcks: events stored while their acks were lost
        # are never acked, and the relay skips them by continuing from the stream's tail.
        assert not relay_task.done(), relay_task
        info = await nc.jetstream().stream_info(spec.name)
        return bool(info.state.messages >= TOTAL and metrics.relay_lag_events._value.get() == 0)

    await eventually(caught_up, timeout=60, what="the relay to catch up")
    assert metrics.relay_errors._value.get() >= 2
    assert metrics.relay_lag_events._value.get() == 0

    messages = await read_stream(nc.jetstream(), spec.name)
    stop.set()
    await relay_task
    await nc.close()

    ids = [headers(m)["Nats-Msg-Id"] for m in messages]
    assert len(messages) == TOTAL
    assert len(set(ids)) == TOTAL
    assert [m.metadata.sequence.stream for m in messages] == list(range(1, TOTAL + 1))
    stored_ids = {str(r["event_id"]) for r in await pool.fetch("SELECT event_id FROM events")}
    assert set(ids) == stored_ids
    last_version: dict[str, int] = defaultdict(int)
    for m in messages:  # per-aggregate order is kept in the stream
        stream, version = headers(m)["ce-subject"], int(headers(m)["ce-streamversion"])
        assert version == last_version[stream] + 1, (stream, version, last_version[stream])
        last_version[stream] = version
