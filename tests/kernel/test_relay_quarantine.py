"""A stray message on a service's own stream (another event store's, e.g. a staging
instance pointed at production) is quarantined: the relay records it and publishes on,
readiness says so, consumers park it, and `relay quarantine purge` deletes it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.js.errors import NotFoundError
from signin import AUTH_ENV, AUTH_SETTINGS

from chibo_chassis import KernelSettings
from chibo_chassis.quarantine_cli import relay_command
from chibo_chassis.runtime import ServiceRuntime
from chibo_kernel import ConsumerSpec, EventConsumer, KernelMetrics
from chibo_kernel.envelope import binary_headers
from chibo_kernel.pool import LeanPool
from chibo_kernel.streams import STORE_HEADER, stream_owner
from chibo_kernel.subjects import category_subjects, checked_event_subject

from .support import (
    APPLIED_LOG_DDL,
    LoggingProjection,
    applied_rows,
    event_models,
    eventually,
    new_service,
)
from .test_service_runtime import client_for
from .toy_service import build


@dataclass
class Toy:
    service: str
    settings: KernelSettings
    runtime: ServiceRuntime
    client: httpx.AsyncClient

    async def happen(self, thing: str, expected: int) -> None:
        response = await self.client.post(
            f"/things/{thing}/happenings", json={"n": expected}, headers={"If-Match": str(expected)}
        )
        assert response.status_code == 201, response.text


@pytest.fixture
async def toy(kernel_db: str, nats_url: str, pool: LeanPool) -> AsyncIterator[Toy]:
    service = new_service()
    settings = KernelSettings(database_url=kernel_db, nats_url=nats_url, **AUTH_SETTINGS)
    app, runtime = build(service, settings)
    await pool.execute(APPLIED_LOG_DDL)
    async with runtime.lifespan():
        yield Toy(service, settings, runtime, client_for(app))


def stray_headers(service: str, thing: str, version: int, store: str | None) -> dict[str, str]:
    """A well-formed event as another store's relay would publish it."""
    event_id = str(uuid.uuid4())
    headers = binary_headers(
        event_id=event_id,
        source=f"/chibo/{service}",
        event_type=f"chibo.{service}.thing_happened.v1",
        time="2026-12-06T07:00:00+00:00",
        subject=f"thing-{thing}",
        stream_version=str(version),
        correlation_id=event_id,
        causation_id=None,
    )
    if store is not None:
        headers[STORE_HEADER] = store
    return headers


async def test_a_stray_message_is_quarantined_and_never_applied_while_publishing_goes_on(
    toy: Toy,
    pool: LeanPool,
    broker: NatsBroker,
    nc: NATS,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, _, registry = event_models(toy.service)
    stream = toy.runtime.stream.name
    name = f"reader-{uuid.uuid4().hex[:8]}"
    spec_consumer = EventConsumer(
        _spec(toy.service, stream, name),
        pool=pool,
        broker=broker,
        registry=registry,
        projection=LoggingProjection(name),
        metrics=KernelMetrics(),
    )
    await spec_consumer.ensure_consumer()
    stop = asyncio.Event()
    reading = asyncio.create_task(spec_consumer.run(stop))
    try:
        await toy.happen("t1", 0)
        await eventually(lambda: _applied(pool, name, 1), what="the first event applied")

        # The stray claims the aggregate's next version, from a store that is not the owner.
        js = nc.jetstream()
        headers = stray_headers(toy.service, "t1", 2, store=str(uuid.uuid4()))
        subject = checked_event_subject(f"chibo.{toy.service}.thing_happened.v1", "thing-t1", ())
        ack = await js.publish(subject, b'{"n": 666, "note": ""}', headers=headers)

        await toy.happen("t1", 1)  # the relay's next publish meets the stray at the tail
        await toy.happen("t2", 0)
        await eventually(lambda: _applied(pool, name, 3), what="the real events applied")
        rows = await applied_rows(pool, name)
        assert str(uuid.UUID(headers["ce-id"])) not in {str(r["event_id"]) for r in rows}
        assert [(r["stream_id"], r["version"]) for r in rows] == [
            ("thing-t1", 1),
            ("thing-t1", 2),
            ("thing-t2", 1),
        ]
        [record] = await pool.fetch("SELECT * FROM relay_quarantine WHERE stream = $1", stream)
        assert record["stream_seq"] == ack.seq
        assert record["subject"] == subject
        assert record["msg_id"] == headers["Nats-Msg-Id"]
        assert record["store"] == headers[STORE_HEADER]
        quarantined = toy.runtime.metrics.registry.get_sample_value("chibo_relay_quarantined_total")
        assert quarantined == 1

        ready = await toy.client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded"
        assert "1 foreign message(s) quarantined" in ready.json()["checks"]["nats"]

        [parked] = await spec_consumer.parked()
        assert (parked.stream_seq, parked.reason) == (ack.seq, "foreign")

        for key, value in {
            **AUTH_ENV,
            "CHIBO_DATABASE_URL": toy.settings.database_url,
            "CHIBO_NATS_URL": ",".join(toy.settings.nats_servers),
        }.items():
            monkeypatch.setenv(key, value)
        assert await _command(toy.service, "list") == 0
        assert f"#{ack.seq}  {subject}" in capsys.readouterr().out
        assert await _command(toy.service, "purge") == 0
        assert f"[{ack.seq}]" in capsys.readouterr().out
        with pytest.raises(NotFoundError):
            await js.get_msg(stream, seq=ack.seq)
        assert (await toy.client.get("/health/ready")).json()["status"] == "ready"

        await toy.happen("t1", 2)  # and the relay publishes on
        await eventually(lambda: _applied(pool, name, 4), what="a later event applied")
    finally:
        stop.set()
        await asyncio.wait_for(reading, 10)


async def test_a_message_without_the_owners_store_is_parked_not_applied(
    toy: Toy, pool: LeanPool, broker: NatsBroker, nc: NATS
) -> None:
    """A stray the relay never meets (it sits mid-stream) still reaches no read model."""
    _, _, registry = event_models(toy.service)
    stream = toy.runtime.stream.name
    name = f"fenced-{uuid.uuid4().hex[:8]}"
    headers = stray_headers(toy.service, "t9", 1, store=None)  # no store named at all

    async def owner_recorded() -> bool:  # by the relay, once it leads
        return await stream_owner(nc.jetstream(), stream) is not None

    await eventually(owner_recorded, what="the relay to record its store on the stream")
    subject = checked_event_subject(f"chibo.{toy.service}.thing_happened.v1", "thing-t9", ())
    ack = await nc.jetstream().publish(subject, b'{"n": 1, "note": ""}', headers=headers)
    consumer = EventConsumer(
        _spec(toy.service, stream, name),
        pool=pool,
        broker=broker,
        registry=registry,
        projection=LoggingProjection(name),
        metrics=KernelMetrics(),
    )
    await consumer.ensure_consumer()
    stop = asyncio.Event()
    reading = asyncio.create_task(consumer.run(stop))
    try:
        await toy.happen("t9", 0)  # the real version 1 of the same aggregate
        await eventually(lambda: _applied(pool, name, 1), what="the real event applied")
        rows = await applied_rows(pool, name)
        assert str(rows[0]["event_id"]) != headers["ce-id"]
        assert [(p.stream_seq, p.reason) for p in await consumer.parked()] == [(ack.seq, "foreign")]
    finally:
        stop.set()
        await asyncio.wait_for(reading, 10)


def _spec(service: str, stream: str, name: str) -> ConsumerSpec:
    return ConsumerSpec(
        name=name,
        stream=stream,
        filter_subjects=[category_subjects(service, "thing")],
        fetch_timeout_seconds=0.2,
        watch_seconds=0.5,
    )


async def _command(service: str, action: str) -> int:
    """The operator's command, as `chibo-<service> relay quarantine ACTION` runs it."""
    return await asyncio.to_thread(relay_command, service, KernelSettings, ["quarantine", action])


async def _applied(pool: LeanPool, consumer: str, count: int) -> bool:
    return len(await applied_rows(pool, consumer)) >= count
