"""Replaying parked messages follows each aggregate's versions, not the stream's order: a
version 2 parked before its version 1 arrived clears together with it in one replay."""

from __future__ import annotations

import asyncio
import uuid

from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS

from chibo_kernel import ConsumerSpec, EventConsumer, KernelMetrics, StreamSpec, declare_stream
from chibo_kernel.envelope import binary_headers
from chibo_kernel.pool import LeanPool
from chibo_kernel.subjects import category_subjects, checked_event_subject

from .support import (
    APPLIED_LOG_DDL,
    LoggingProjection,
    applied_rows,
    assert_each_applied_once_in_order,
    event_models,
    eventually,
    new_service,
)


async def test_versions_parked_out_of_order_clear_in_one_replay(
    pool: LeanPool, broker: NatsBroker, nc: NATS
) -> None:
    service = new_service()
    Happened, _, registry = event_models(service)
    stream = StreamSpec(service)
    await declare_stream(nc.jetstream(), stream)
    await pool.execute(APPLIED_LOG_DDL)
    js = nc.jetstream()

    async def publish(thing: str, version: int) -> None:
        event_id = str(uuid.uuid4())
        headers = binary_headers(
            event_id=event_id,
            source=f"/chibo/{service}",
            event_type=Happened.event_type,
            time="2026-12-06T07:00:00+00:00",
            subject=thing,
            stream_version=str(version),
            correlation_id=event_id,
            causation_id=None,
        )
        subject = checked_event_subject(Happened.event_type, thing, ())
        await js.publish(subject, Happened(n=version).model_dump_json().encode(), headers=headers)

    name = f"order-{uuid.uuid4().hex[:8]}"
    # One delivery each: version 2, alone, is parked at once as "version 1 never arrived".
    spec = ConsumerSpec(
        name=name,
        stream=stream.name,
        filter_subjects=[category_subjects(service, "thing")],
        max_deliver=1,
        fetch_timeout_seconds=0.2,
    )
    consumer = EventConsumer(
        spec,
        pool=pool,
        broker=broker,
        registry=registry,
        projection=LoggingProjection(name),
        metrics=KernelMetrics(),
    )
    stop = asyncio.Event()
    await consumer.ensure_consumer()
    running = asyncio.create_task(consumer.run(stop))
    try:
        for thing in ("thing-a", "thing-b"):
            await publish(thing, 2)

        async def parked(count: int) -> bool:
            return len(await consumer.parked()) == count

        await eventually(lambda: parked(2), what="both versions 2 parked")
        for thing in ("thing-a", "thing-b"):
            await publish(thing, 1)  # behind a parked version 2: parked too
        await eventually(lambda: parked(4), what="both versions 1 parked behind them")
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)
    assert await applied_rows(pool, name) == []

    report = await consumer.replay_parked()

    assert (report.applied, report.duplicates, report.still_parked) == (4, 0, 0)
    assert await consumer.parked() == []
    assert_each_applied_once_in_order(await applied_rows(pool, name), 4)
