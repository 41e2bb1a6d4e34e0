"""A durable consumer deleted or changed on the server is noticed within seconds and
recreated from the read model's checkpoint; its lag is a fact or NaN, never a default 0."""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.js.api import DeliverPolicy
from structlog.testing import capture_logs

from chibo_kernel import EventConsumer, KernelMetrics, OutboxRelay, declare_stream
from chibo_kernel.nats_client import nats_broker
from chibo_kernel.pool import LeanPool
from chibo_tools.embedded.nats import EmbeddedNats

from .flow import Flow, applied_count, checkpoint, lag, lag_is, recreated
from .support import APPLIED_LOG_DDL, applied_rows, assert_each_applied_once_in_order, eventually

RECREATED = "durable consumer recreated from the read model's checkpoint"


@pytest.fixture
async def flow(kernel_db: str, pool: LeanPool, broker: NatsBroker, nc: NATS) -> AsyncIterator[Flow]:
    started = await Flow(kernel_db, pool, broker, nc).start()
    yield started
    await started.close()


async def write(flow: Flow, aggregates: list[str], rounds: int, per_round: int) -> int:
    """Append to every aggregate, round after round, yielding between rounds."""
    for r in range(rounds):
        for aggregate in aggregates:
            await flow.append(aggregate, r * per_round, per_round)
        await asyncio.sleep(0)  # let the relay and the consumer run between rounds
    return len(aggregates) * rounds * per_round


async def test_a_consumer_deleted_while_events_flow_is_recreated_and_applies_each_event_once(
    flow: Flow,
) -> None:
    name = f"deleted-{uuid.uuid4().hex[:8]}"
    metrics = KernelMetrics()
    consumer = flow.consumer(flow.spec(name, batch_size=50), metrics)
    await consumer.ensure_consumer()
    aggregates = [f"a{i}" for i in range(5)]
    first = await write(flow, aggregates, rounds=20, per_round=5)
    with capture_logs() as logs:
        flow.spawn(consumer.run(flow.stop))
        await eventually(
            lambda: _applied_at_least(flow.pool, name, first // 2), what="half the events applied"
        )
        await flow.nc.jetstream().delete_consumer(flow.stream.name, name)
        writer = asyncio.create_task(_write_more(flow, aggregates, rounds=20, per_round=5))
        # Within seconds: the next pull meets no responders and recreates it at once.
        await eventually(_recreated(metrics, consumer), timeout=5, what="the consumer recreated")
        total = first + await writer
        await eventually(
            lambda: _applied_at_least(flow.pool, name, total), what="every event applied"
        )
    assert_each_applied_once_in_order(await applied_rows(flow.pool, name), total)
    assert recreated(metrics, consumer) == 1
    warnings = [e for e in logs if e["event"] == RECREATED]
    assert len(warnings) == 1, warnings
    assert warnings[0]["log_level"] == "warning"
    info = await flow.nc.jetstream().consumer_info(flow.stream.name, name)
    # From the checkpoint, not the stream's start: the events applied before stay behind it.
    assert info.config.deliver_policy == DeliverPolicy.BY_START_SEQUENCE
    assert (info.config.opt_start_seq or 0) > first // 2


async def test_a_consumer_changed_on_the_server_is_replaced_by_one_as_specified(
    flow: Flow,
) -> None:
    name = f"changed-{uuid.uuid4().hex[:8]}"
    metrics = KernelMetrics()
    spec = flow.spec(name)
    consumer = flow.consumer(spec, metrics)
    await consumer.ensure_consumer()
    flow.spawn(consumer.run(flow.stop))
    await write(flow, ["x"], rounds=1, per_round=10)
    await eventually(lambda: _applied_at_least(flow.pool, name, 10), what="the first events")
    js = flow.nc.jetstream()
    # Someone narrows its subjects by hand: events of the category would be missed.
    narrowed = spec.server_config(await checkpoint(flow.pool, name) + 1)
    narrowed.filter_subjects = [f"chibo.{flow.service}.thing.nothing.>"]
    await js.delete_consumer(flow.stream.name, name)
    await js.add_consumer(flow.stream.name, narrowed)
    await flow.append("x", 10, 10)
    await eventually(lambda: _applied_at_least(flow.pool, name, 20), what="the later events")
    assert recreated(metrics, consumer) >= 1
    info = await js.consumer_info(flow.stream.name, name)
    assert info.config.filter_subjects == list(spec.filter_subjects)
    assert_each_applied_once_in_order(await applied_rows(flow.pool, name), 20)


async def test_a_consumer_deleted_while_the_service_was_away_restarts_at_its_checkpoint(
    flow: Flow,
) -> None:
    name = f"away-{uuid.uuid4().hex[:8]}"
    first_stop = asyncio.Event()
    before = flow.consumer(flow.spec(name), KernelMetrics())
    await before.ensure_consumer()
    run = asyncio.create_task(before.run(first_stop))
    await write(flow, ["y"], rounds=3, per_round=10)
    await eventually(lambda: _applied_at_least(flow.pool, name, 30), what="the first events")
    first_stop.set()
    await asyncio.wait_for(run, 10)
    await flow.nc.jetstream().delete_consumer(flow.stream.name, name)
    await flow.append("y", 30, 10)

    metrics = KernelMetrics()
    after = flow.consumer(flow.spec(name), metrics)
    await after.ensure_consumer()
    info = await flow.nc.jetstream().consumer_info(flow.stream.name, name)
    assert info.config.opt_start_seq == await checkpoint(flow.pool, name) + 1
    assert recreated(metrics, after) == 1
    flow.spawn(after.run(flow.stop))
    await eventually(lambda: _applied_at_least(flow.pool, name, 40), what="the later events")
    await eventually(lag_is(metrics, after, 0), what="no lag")
    duplicates = metrics.registry.get_sample_value(
        "chibo_consumer_messages_total", {"consumer": name, "outcome": "duplicate"}
    )
    assert not duplicates  # nothing already applied was delivered again
    assert_each_applied_once_in_order(await applied_rows(flow.pool, name), 40)


async def test_a_consumer_of_a_stream_deleted_and_declared_again_reads_it_from_its_start(
    kernel_db: str, pool: LeanPool, broker: NatsBroker, nc: NATS
) -> None:
    flow = Flow(kernel_db, pool, broker, nc)
    await pool.execute(APPLIED_LOG_DDL)
    js = nc.jetstream()
    await declare_stream(js, flow.stream)
    await write(flow, ["a", "b"], rounds=1, per_round=10)
    await publish_all(flow)
    name = f"replaced-{uuid.uuid4().hex[:8]}"
    first_stop = asyncio.Event()
    before = flow.consumer(flow.spec(name), KernelMetrics())
    await before.ensure_consumer()
    running = asyncio.create_task(before.run(first_stop))
    await eventually(lambda: _applied_at_least(pool, name, 20), what="the first stream read")
    await js.delete_stream(flow.stream.name)
    await eventually(lambda: _has_problem(before), what="the stream's loss noticed")
    first_stop.set()
    await asyncio.wait_for(running, 10)
    # Republished as the runbook's range does, while the service is away: only what came
    # after, from sequence 1 on, and more of it than the old checkpoint (20) counted.
    await write(flow, ["c"], rounds=1, per_round=10)
    await write(flow, ["d"], rounds=1, per_round=15)
    await declare_stream(js, flow.stream)
    await publish_all(flow)

    metrics = KernelMetrics()
    after = flow.consumer(flow.spec(name), metrics)
    with capture_logs() as logs:
        await after.ensure_consumer()
    info = await js.consumer_info(flow.stream.name, name)
    assert info.config.deliver_policy == DeliverPolicy.ALL  # not after the old checkpoint
    flow.spawn(after.run(flow.stop))
    try:
        await eventually(lambda: _applied_at_least(pool, name, 45), what="the new stream read")
        assert any(e["event"].startswith("the stream was replaced") for e in logs)
        assert recreated(metrics, after) == 1
        assert_each_applied_once_in_order(await applied_rows(pool, name), 45)
        assert await after.parked() == []
    finally:
        await flow.close()


async def publish_all(flow: Flow) -> None:
    relay = OutboxRelay(
        database_url=flow.url, nc=flow.nc, stream=flow.stream, metrics=KernelMetrics()
    )
    conn = await asyncpg.connect(flow.url)
    try:
        while await relay.publish_round(conn):
            pass
    finally:
        await conn.close()


def _recreated(metrics: KernelMetrics, consumer: EventConsumer) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return recreated(metrics, consumer) >= 1

    return check


async def _has_problem(consumer: EventConsumer) -> bool:
    return consumer.problem is not None


async def test_lag_is_unknown_not_zero_while_nats_is_unreachable(
    kernel_db: str, pool: LeanPool, tmp_path: Path
) -> None:
    server = EmbeddedNats(tmp_path / "nats")
    server.start()
    broker = nats_broker(server.url, name="lag-outage")
    flow: Flow | None = None
    try:
        nc = await broker.connect()
        flow = await Flow(kernel_db, pool, broker, nc).start()
        name = f"outage-{uuid.uuid4().hex[:8]}"
        metrics = KernelMetrics()
        consumer = flow.consumer(flow.spec(name), metrics)
        await consumer.ensure_consumer()
        flow.spawn(consumer.run(flow.stop))
        await write(flow, ["z"], rounds=1, per_round=5)
        await eventually(lag_is(metrics, consumer, 0), what="caught up")
        # Lag counts undelivered messages; delivered ones may still be in flight.
        await eventually(lambda: _applied_at_least(pool, name, 5), what="all five applied")
        assert consumer.problem is None

        server.stop()  # the NATS this test started, by its pid
        await eventually(lag_is(metrics, consumer, math.nan), what="lag unknown", timeout=15)
        assert consumer.problem is not None
        assert consumer.problem.startswith("lag unknown")
        value = lag(metrics, consumer)
        assert value is not None
        assert math.isnan(value)

        server.start()
        await eventually(lag_is(metrics, consumer, 0), what="lag known again", timeout=30)
        assert consumer.problem is None
        assert await applied_count(pool, name) == 5
    finally:
        if flow is not None:
            await flow.close()
        await broker.stop()
        server.stop()


async def _write_more(flow: Flow, aggregates: list[str], rounds: int, per_round: int) -> int:
    """Later rounds of the same aggregates, continuing their versions."""
    for r in range(rounds):
        for aggregate in aggregates:
            await flow.append(aggregate, (20 + r) * per_round, per_round)
        await asyncio.sleep(0.01)  # pacing: the writes go on while the consumer is recreated
    return len(aggregates) * rounds * per_round


async def _applied_at_least(pool: LeanPool, consumer: str, count: int) -> bool:
    return await applied_count(pool, consumer) >= count
