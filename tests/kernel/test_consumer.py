"""The idempotent consumer against real JetStream and Postgres: crashes, redelivery,
poison messages, malformed input."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import ClassVar

import asyncpg
import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS

from chibo_kernel import (
    ConsumerSpec,
    DomainEvent,
    EventConsumer,
    KernelMetrics,
    OutboxRelay,
    PostgresEventStore,
    StreamSpec,
    declare_stream,
)
from chibo_kernel.consumer import Verdict
from chibo_kernel.consumer import consumer as consumer_module
from chibo_kernel.consumer.received import decode_msg
from chibo_kernel.pool import LeanPool
from chibo_kernel.subjects import category_subjects

from .support import (
    APPLIED_LOG_DDL,
    LoggingProjection,
    applied_rows,
    assert_each_applied_once_in_order,
    event_models,
    eventually,
    new_service,
)

HERE = Path(__file__).parent


class World:
    """One service's store, stream and relay, with events already on the stream."""

    def __init__(self, kernel_db: str, pool: LeanPool, broker: NatsBroker, nc: NATS) -> None:
        self.url, self.pool, self.broker, self.nc = kernel_db, pool, broker, nc
        self.service = new_service()
        self.Happened, self.Renamed, self.registry = event_models(self.service)
        self.stream = StreamSpec(self.service)
        self.store = PostgresEventStore(pool)

    async def start(self) -> World:
        await declare_stream(self.nc.jetstream(), self.stream)
        await self.pool.execute(APPLIED_LOG_DDL)
        return self

    async def publish(self) -> None:
        relay = OutboxRelay(
            database_url=self.url, nc=self.nc, stream=self.stream, metrics=KernelMetrics()
        )
        conn = await asyncpg.connect(self.url)
        try:
            while await relay.publish_round(conn):
                pass
        finally:
            await conn.close()

    def spec(self, name: str, **overrides: object) -> ConsumerSpec:
        settings: dict[str, object] = dict(
            name=name,
            stream=self.stream.name,
            filter_subjects=[category_subjects(self.service, "thing")],
            max_deliver=3,
            backoff_seconds=(0.05, 0.1, 0.2),
            ack_wait_seconds=2.0,
            fetch_timeout_seconds=0.2,
        )
        settings.update(overrides)
        return ConsumerSpec(**settings)  # type: ignore[arg-type]

    def consumer(
        self,
        spec: ConsumerSpec,
        projection: LoggingProjection,
        metrics: KernelMetrics | None = None,
    ) -> EventConsumer:
        return EventConsumer(
            spec,
            pool=self.pool,
            broker=self.broker,
            registry=self.registry,
            projection=projection,
            metrics=metrics or KernelMetrics(),
        )


@pytest.fixture
async def world(kernel_db: str, pool: LeanPool, broker: NatsBroker, nc: NATS) -> World:
    return await World(kernel_db, pool, broker, nc).start()


Running = list[tuple[asyncio.Event, asyncio.Task[None]]]


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    tasks: Running = []
    yield tasks
    for stop, _ in tasks:
        stop.set()
    for _, task in tasks:
        await asyncio.wait_for(task, 10)


def run(running: Running, consumer: EventConsumer) -> None:
    stop = asyncio.Event()
    running.append((stop, asyncio.create_task(consumer.run(stop))))


async def append_many(world: World, aggregates: int, per_aggregate: int) -> int:
    for a in range(aggregates):
        events = [world.Happened(n=i) for i in range(per_aggregate)]
        await world.store.append(f"thing-{a}", 0, events)
    return aggregates * per_aggregate


async def start_consumer_process(
    world: World, name: str, delay: float, log: Path
) -> subprocess.Popen[bytes]:
    """Start a consumer process; its output goes to a file so a full pipe can never stall it."""
    url = world.nc.connected_url.geturl() if world.nc.connected_url else ""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                str(HERE / "consumer_process.py"),
                world.url,
                url,
                world.service,
                name,
                str(delay),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ),
        )
    start = log.read_text().count("consumer ready")

    async def ready() -> bool:
        assert process.poll() is None, log.read_text()[-3000:]
        return log.read_text().count("consumer ready") > start

    await eventually(ready, what="the consumer process to start")
    return process


async def test_a_consumer_killed_mid_batch_applies_each_event_once(
    world: World, tmp_path: Path
) -> None:
    log = tmp_path / "consumer.log"
    total = await append_many(world, aggregates=40, per_aggregate=50)
    await world.publish()
    name = f"crashy-{uuid.uuid4().hex[:8]}"

    for kill_after in (400, 1200):
        process = await start_consumer_process(world, name, 0.03, log)
        try:
            await eventually(
                partial(_count_at_least, world.pool, name, kill_after),
                what=f"{kill_after} applications",
            )
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL

    process = await start_consumer_process(world, name, 0, log)
    try:
        await eventually(
            lambda: _count_at_least(world.pool, name, total),
            timeout=60,
            what="the restarted consumer to finish",
        )
        # Let any straggling redelivery arrive: nothing may be applied after this.
        await eventually(lambda: _nothing_pending(world, name), timeout=30, what="acks to land")
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0, log.read_text()[-3000:]

    assert_each_applied_once_in_order(await applied_rows(world.pool, name), total)


async def test_a_crash_between_commit_and_ack_has_no_second_effect(
    world: World, running: Running
) -> None:
    total = await append_many(world, aggregates=5, per_aggregate=20)
    await world.publish()
    name = f"dupe-{uuid.uuid4().hex[:8]}"
    spec = world.spec(name, batch_size=total, ack_wait_seconds=1.0)
    first = world.consumer(spec, LoggingProjection(name))
    await first.declare()
    subscription = await world.nc.jetstream().pull_subscribe_bind(name, world.stream.name)
    messages = await subscription.fetch(total, timeout=5)
    # Commit the effect, then "crash": no ack reaches the server.
    applied = await first._apply_until_committed(
        [decode_msg(m, world.registry) for m in messages], messages, None
    )
    assert applied is not None
    assert [o.verdict for o in applied[1]] == [Verdict.APPLY] * total

    metrics = KernelMetrics()
    run(running, world.consumer(spec, LoggingProjection(name), metrics))
    await eventually(
        lambda: _metric_at_least(metrics, name, "duplicate", total), what="redeliveries"
    )
    assert metrics.consumer_redeliveries.labels(name)._value.get() >= total
    assert_each_applied_once_in_order(await applied_rows(world.pool, name), total)


async def test_a_poison_event_is_parked_without_blocking_other_aggregates(
    world: World,
    running: Running,
) -> None:
    H = world.Happened
    await world.store.append("thing-poisoned", 0, [H(n=1), H(n=13), H(n=3)])
    await world.store.append("thing-healthy", 0, [H(n=4), H(n=5), H(n=6)])
    await world.publish()
    await world.store.append("thing-poisoned", 3, [H(n=7)])  # arrives after the parking
    name = f"poison-{uuid.uuid4().hex[:8]}"
    projection = LoggingProjection(name, poison={13})
    metrics = KernelMetrics()
    consumer = world.consumer(world.spec(name), projection, metrics)
    run(running, consumer)

    await eventually(lambda: _parked_count(consumer, 2), what="the poison and its successor")
    await world.publish()
    await eventually(lambda: _parked_count(consumer, 3), what="the later event to queue behind")
    await eventually(lambda: _gauge_reads(metrics, name, 3), what="the parked gauge to follow")
    applied = [(r["stream_id"], r["version"]) for r in await applied_rows(world.pool, name)]
    assert sorted(applied) == [
        ("thing-healthy", 1),
        ("thing-healthy", 2),
        ("thing-healthy", 3),
        ("thing-poisoned", 1),
    ]
    parked = await consumer.parked()
    assert [(p.stream_id, p.version) for p in parked] == [
        ("thing-poisoned", 2),
        ("thing-poisoned", 3),
        ("thing-poisoned", 4),
    ]
    assert parked[0].reason == "projection failed"
    assert "poison event n=13" in parked[0].error
    assert parked[0].deliveries == 3
    assert parked[1].reason == "an earlier event of this aggregate is parked"
    assert metrics.consumer_parked.labels(name)._value.get() == 3
    # The poison raised on each of its 3 deliveries; its successor never reached the handler.
    assert metrics.consumer_handler_errors.labels(name)._value.get() == 3

    projection.poisoned = False  # the operator fixes the cause, then replays
    report = await consumer.replay_parked()

    assert (report.applied, report.still_parked) == (3, 0)
    assert metrics.consumer_parked.labels(name)._value.get() == 0
    assert_each_applied_once_in_order(await applied_rows(world.pool, name), 7)
    assert await consumer.parked() == []


async def test_a_replay_by_another_replica_clears_this_ones_parked_gauge(
    world: World, running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consumer_module, "PARKED_REFRESH_SECONDS", 0.05)
    H = world.Happened
    await world.store.append("thing-poisoned", 0, [H(n=13)])
    await world.publish()
    name = f"replica-{uuid.uuid4().hex[:8]}"
    projection = LoggingProjection(name, poison={13})
    mine = KernelMetrics()
    consumer = world.consumer(world.spec(name, fetch_timeout_seconds=0.1), projection, mine)
    run(running, consumer)
    # The gauge follows the batch's settlement, a moment after the parked row commits.
    await eventually(lambda: _gauge_reads(mine, name, 1), what="the poison parked and counted")

    projection.poisoned = False
    other_replica = world.consumer(world.spec(name), projection, KernelMetrics())
    assert (await other_replica.replay_parked()).applied == 1

    async def cleared() -> bool:
        return bool(mine.consumer_parked.labels(name)._value.get() == 0)

    await eventually(cleared, timeout=10, what="this replica to see the replay")


async def test_malformed_and_unknown_messages_are_parked_or_skipped_by_policy(
    world: World,
    running: Running,
) -> None:
    js = world.nc.jetstream()
    subject = f"chibo.{world.service}.thing.thing_happened.v1._"
    await js.publish(subject, b"not even json")  # no CloudEvents headers at all

    def headers(stream: str, version: int, ce_type: str) -> dict[str, str]:
        return {
            "ce-specversion": "1.0",
            "ce-id": str(uuid.uuid4()),
            "ce-source": "/x",
            "ce-type": ce_type,
            "ce-time": "2026-11-21T10:00:00+00:00",
            "ce-subject": stream,
            "ce-streamversion": str(version),
            "ce-correlationid": "c",
        }

    await js.publish(
        subject,
        json.dumps({"n": "NaN?"}).encode(),
        headers=headers("thing-bad", 1, world.Happened.event_type),
    )

    class LaterAdded(DomainEvent):  # a type newer than the consumers' registry
        event_type: ClassVar[str] = f"chibo.{world.service}.later_added.v1"

    await world.store.append("thing-new", 0, [LaterAdded(), world.Happened(n=2)])
    await world.store.append("thing-fine", 0, [world.Happened(n=1)])
    await world.publish()

    skipping = world.consumer(world.spec(f"skip-{uuid.uuid4().hex[:6]}"), LoggingProjection("skip"))
    parking = world.consumer(
        world.spec(f"park-{uuid.uuid4().hex[:6]}", unknown_types="park"), LoggingProjection("park")
    )
    run(running, skipping)
    run(running, parking)

    await eventually(lambda: _applied(world.pool, "skip", 2), what="valid events behind bad ones")
    skip_parked = await skipping.parked()
    assert [p.reason for p in skip_parked] == ["malformed", "malformed"]
    assert "no CloudEvents headers" in skip_parked[0].error
    assert "invalid" in skip_parked[1].error
    assert skip_parked[1].stream_id == "thing-bad"
    await eventually(lambda: _parked_count(parking, 3), what="the unknown type parked")
    reasons = [p.reason for p in await parking.parked()]
    assert reasons[:2] == ["malformed", "malformed"]
    assert reasons[2].startswith("unknown event type")
    skipped = sorted((r["stream_id"], r["version"]) for r in await applied_rows(world.pool, "skip"))
    assert skipped == [("thing-fine", 1), ("thing-new", 2)]  # v1 skipped, order kept
    parked_applied = [
        (r["stream_id"], r["version"]) for r in await applied_rows(world.pool, "park")
    ]
    assert parked_applied == [("thing-fine", 1)]  # thing-new waits behind its parked event


async def _count_at_least(pool: LeanPool, consumer: str, n: int) -> bool:
    return bool(
        await pool.fetchval("SELECT count(*) FROM applied_log WHERE consumer = $1", consumer) >= n
    )


async def _applied(pool: LeanPool, consumer: str, n: int) -> bool:
    return await _count_at_least(pool, consumer, n)


async def _nothing_pending(world: World, name: str) -> bool:
    info = await world.nc.jetstream().consumer_info(world.stream.name, name)
    return bool(info.num_pending == 0 and info.num_ack_pending == 0)


async def _metric_at_least(metrics: KernelMetrics, name: str, outcome: str, n: int) -> bool:
    return bool(metrics.consumer_processed.labels(name, outcome)._value.get() >= n)


async def _parked_count(consumer: EventConsumer, n: int) -> bool:
    return len(await consumer.parked()) >= n


async def _gauge_reads(metrics: KernelMetrics, consumer: str, n: int) -> bool:
    return bool(metrics.consumer_parked.labels(consumer)._value.get() == n)
