"""The relay: commit-safe order, CloudEvents headers, checkpoint after PubAck."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import ClassVar

import asyncpg
from nats.aio.client import Client as NATS

from chibo_kernel import (
    DomainEvent,
    KernelMetrics,
    OutboxRelay,
    PostgresEventStore,
    StreamAppend,
    StreamSpec,
    declare_stream,
)
from chibo_kernel.pool import LeanPool
from chibo_kernel.store.postgres import _APPEND

from .support import event_models, eventually, headers, new_service, read_stream


async def relay_for(kernel_db: str, nc: NATS, service: str) -> tuple[OutboxRelay, StreamSpec]:
    spec = StreamSpec(service)
    await declare_stream(nc.jetstream(), spec)
    return OutboxRelay(database_url=kernel_db, nc=nc, stream=spec, metrics=KernelMetrics()), spec


async def append_in_open_tx(conn: asyncpg.Connection, event_type: str, stream: str) -> None:
    """An append inside a transaction the caller commits later."""
    meta = json.dumps({"correlation_id": "c", "org_path": []})
    await conn.execute(
        _APPEND, [stream], [0], [stream], [1], [uuid.uuid4()], [event_type], ['{"n": 1}'], [meta]
    )


async def test_relay_publishes_cloudevents_in_binary_mode(
    kernel_db: str, pool: LeanPool, nc: NATS
) -> None:
    service = new_service()
    Happened, _, _ = event_models(service)
    relay, spec = await relay_for(kernel_db, nc, service)
    store = PostgresEventStore(pool)
    await store.append("member-m1", 0, [Happened(n=7, note="hộ 5")], org_path=["p1", "g2", "b3"])

    conn = await asyncpg.connect(kernel_db)
    try:
        assert await relay.publish_round(conn) == 1
        assert await relay.publish_round(conn) == 0
        checkpoint = await conn.fetchrow("SELECT position, published FROM relay_checkpoints")
    finally:
        await conn.close()

    (msg,) = await read_stream(nc.jetstream(), spec.name)
    (recorded,) = await store.load("member-m1")
    assert msg.subject == f"chibo.{service}.member.thing_happened.v1.p1.g2.b3._"
    assert json.loads(msg.data) == {"n": 7, "note": "hộ 5"}
    hdrs = headers(msg)
    assert hdrs["Nats-Msg-Id"] == hdrs["ce-id"] == str(recorded.event_id)
    assert hdrs["ce-specversion"] == "1.0"
    assert hdrs["ce-type"] == Happened.event_type
    assert hdrs["ce-source"] == f"/chibo/{service}"
    assert hdrs["ce-subject"] == "member-m1"
    assert hdrs["ce-streamversion"] == "1"
    assert hdrs["ce-datacontenttype"] == "application/json"
    assert hdrs["ce-dataschema"] == f"urn:chibo:schema:{Happened.event_type}"
    assert checkpoint["position"] == recorded.position
    assert checkpoint["published"] == 1


async def test_a_later_commit_of_an_earlier_transaction_is_not_skipped(
    kernel_db: str, nc: NATS
) -> None:
    """tx1 inserts, tx2 inserts and commits, then tx1 commits: both reach the stream."""
    service = new_service()
    Happened, _, _ = event_models(service)
    relay, spec = await relay_for(kernel_db, nc, service)
    tx1_conn, tx2_conn, relay_conn = [await asyncpg.connect(kernel_db) for _ in range(3)]
    try:
        tx1 = tx1_conn.transaction()
        await tx1.start()
        await append_in_open_tx(tx1_conn, Happened.event_type, "thing-first")
        async with tx2_conn.transaction():
            await append_in_open_tx(tx2_conn, Happened.event_type, "thing-second")

        # tx2 is committed but tx1 is still open: publishing tx2 now would let a checkpoint
        # pass tx1's row. The relay must hold back.
        assert await relay.publish_round(relay_conn) == 0
        await tx1.commit()
        assert await relay.publish_round(relay_conn) == 2
    finally:
        for c in (tx1_conn, tx2_conn, relay_conn):
            await c.close()

    subjects = [headers(m)["ce-subject"] for m in await read_stream(nc.jetstream(), spec.name)]
    assert subjects == ["thing-first", "thing-second"]


async def test_events_held_back_by_an_open_transaction_count_as_relay_lag(
    kernel_db: str, nc: NATS
) -> None:
    """Any open writer on the server holds the relay back: its committed events must show in
    chibo_relay_lag_events, or ChiboRelayLag could never fire for such a stall."""
    service = new_service()
    Happened, _, _ = event_models(service)
    relay, _ = await relay_for(kernel_db, nc, service)
    metrics = relay._metrics
    blocker, writer, relay_conn = [await asyncpg.connect(kernel_db) for _ in range(3)]
    try:
        stall = blocker.transaction()
        await stall.start()
        await blocker.execute("SELECT pg_current_xact_id()")  # a writer that never commits
        async with writer.transaction():
            await append_in_open_tx(writer, Happened.event_type, "thing-waiting")
        assert await relay.publish_round(relay_conn) == 0
        assert metrics.relay_lag_events._value.get() == 1
        assert metrics.relay_lag_seconds._value.get() >= 0
        await stall.rollback()
        assert await relay.publish_round(relay_conn) == 1
        relay._last_lag_check = 0.0  # the lag is measured at most once a second
        assert await relay.publish_round(relay_conn) == 0
        assert metrics.relay_lag_events._value.get() == 0
    finally:
        for c in (blocker, writer, relay_conn):
            await c.close()


async def test_a_higher_position_committed_first_does_not_hide_a_lower_one(
    kernel_db: str, nc: NATS
) -> None:
    """The trap of checkpointing "last position seen": position order ≠ commit order."""
    service = new_service()
    Happened, _, _ = event_models(service)
    relay, spec = await relay_for(kernel_db, nc, service)
    early_xid, late_xid, relay_conn = [await asyncpg.connect(kernel_db) for _ in range(3)]
    try:
        t_early, t_late = early_xid.transaction(), late_xid.transaction()
        await t_early.start()
        await t_late.start()
        await early_xid.execute("SELECT pg_current_xact_id()")  # takes the lower xid now
        await late_xid.execute("SELECT pg_current_xact_id()")
        await late_xid.execute("SELECT 1")
        await append_in_open_tx(late_xid, Happened.event_type, "thing-low-position")
        await append_in_open_tx(early_xid, Happened.event_type, "thing-high-position")
        await t_early.commit()
        first = await relay.publish_round(relay_conn)
        await t_late.commit()
        second = await relay.publish_round(relay_conn)
        positions = dict(
            await relay_conn.fetch("SELECT stream_id, position FROM events ORDER BY position")
        )
    finally:
        for c in (early_xid, late_xid, relay_conn):
            await c.close()

    assert positions["thing-low-position"] < positions["thing-high-position"]
    assert (first, second) == (1, 1)
    subjects = [headers(m)["ce-subject"] for m in await read_stream(nc.jetstream(), spec.name)]
    assert subjects == ["thing-high-position", "thing-low-position"]  # commit-safe xid order


async def test_a_local_append_wakes_the_relay_before_its_next_poll(
    kernel_db: str, pool: LeanPool, nc: NATS
) -> None:
    service = new_service()
    Happened, _, _ = event_models(service)
    spec = StreamSpec(service)
    await declare_stream(nc.jetstream(), spec)
    metrics = KernelMetrics()
    relay = OutboxRelay(
        database_url=kernel_db, nc=nc, stream=spec, metrics=metrics, poll_interval=30.0
    )
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:

        async def leading() -> bool:
            return relay.is_leader

        await eventually(leading, timeout=10, what="the relay to lead")
        store = PostgresEventStore(pool, metrics, on_appended=relay.wake)
        await store.append("thing-1", 0, [Happened(n=1)])

        async def published() -> bool:
            return bool(metrics.relay_published._value.get() == 1)

        # Well inside the 30 s poll: only the wake-up can have published it.
        await eventually(published, timeout=10, what="the woken relay to publish")
    finally:
        stop.set()
        await task


async def test_private_events_are_stored_but_never_published(
    kernel_db: str, pool: LeanPool, nc: NATS
) -> None:
    service = new_service()
    Happened, _, _ = event_models(service)

    class IdentityRecorded(DomainEvent):
        event_type: ClassVar[str] = f"chibo.{service}.identity_recorded.v1"
        published: ClassVar[bool] = False
        card_number: str

    relay, spec = await relay_for(kernel_db, nc, service)
    store = PostgresEventStore(pool)
    # Private events have aggregates of their own; one transaction interleaves both kinds.
    await store.append_batch(
        [
            StreamAppend("member-a", 0, [Happened(n=1)]),
            StreamAppend("member_private-a", 0, [IdentityRecorded(card_number="0123456")]),
        ]
    )
    await store.append("member_private-b", 0, [IdentityRecorded(card_number="0999999")])
    await store.append("member-a", 1, [Happened(n=2)])

    conn = await asyncpg.connect(kernel_db)
    try:
        while await relay.publish_round(conn):
            pass
        stored = await conn.fetchval("SELECT count(*) FROM events")
    finally:
        await conn.close()

    messages = await read_stream(nc.jetstream(), spec.name)
    assert stored == 4
    assert [headers(m)["ce-type"] for m in messages] == [Happened.event_type] * 2
    assert all(b"0123456" not in m.data and b"0999999" not in m.data for m in messages)
    # The expected-last chain skipped the private events and the server accepted it; the
    # public stream's versions have no gap for a consumer's gate to wait on.
    assert [int(headers(m)["ce-streamversion"]) for m in messages] == [1, 2]
