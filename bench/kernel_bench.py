"""Kernel throughput beside the raw limit of the same servers, measured in the same run.

Each project rate is printed next to the rate of the plainest client code that does the
same physical work against the same servers, so the ratio shows what the kernel costs and
does not depend on how fast this machine happens to be. Both sides of a pair run once per
repeat, alternately, and each side reports the median over the repeats.

The pairs, and why each denominator is fair:

1. append: `PostgresEventStore.append`, one event per call, 8 concurrent writers each on its
   own stream, the store on a pool of 8 (so each call acquires and releases a connection, as
   in a service) -- against raw asyncpg `INSERT`, one row per autocommit statement, 8
   connections each held by one writer. The raw table has the event columns and the keys
   any event table needs (primary key (stream_id, version), unique event_id), but not the
   relay's `tx_id` column and index or the kernel's version check: those
   are what is measured.
1b. keyed: a command as the kernel runs one for a service -- load the aggregate's stream,
   append one event at the version read, in a transaction with an inline projection that
   writes a row (each service's repository passes one) -- sent with an `Idempotency-Key`:
   the key and the command's answer are written in the command's transaction, with no
   lookup first (as the HTTP layer runs a command; a repeat meets the key as it settles and
   is rolled back) -- against the
   same command without a key (today's path): the ratio is what the idempotency record
   costs a command. A reference line gives the keyed bare append (no load, no projection;
   one statement for event and key) against the bare `PostgresEventStore.append`: no
   command takes that path, but there nothing hides the record's cost.
2. batch append: `PostgresEventStore.append_batch`, 500 events over 10 streams per call, one
   connection -- against `copy_records_to_table` of the same 500 rows per call, one
   connection, so both sides commit (and fsync) equally often.
3. relay: `OutboxRelay.publish_round` in a loop on one connection, from the first round until
   the acked count (what `relay_published` counts) reaches N, over a backlog already
   committed, into a fresh stream -- against nats-py `publish_async` of N ~400-byte messages
   into a fresh stream of the same configuration, with the same in-flight limit as the
   relay's JetStream context (4000), waiting for every PubAck, carrying the same headers the
   relay must send: the CloudEvents binary-mode set, `Nats-Msg-Id` and the
   `Nats-Expected-Last-Msg-Id` chain. nats-py validates and encodes every header on every
   publish (about 1 us each, a dozen per event), so the headers, not the kernel, set the
   limit for any client; the ratio against a bare `Nats-Msg-Id` publish is printed beside it.
4. consumer: `EventConsumer` (batch_size 256, fresh durable name) with a projection that
   writes each batch with one `INSERT ... SELECT FROM unnest(...)`, from start until every
   event of an N-event backlog is applied -- against a nats-py pull consumer on the same
   stream (fresh durable, `fetch(256)` in a loop, `msg.ack()` each, no database). The gap is
   the price of exactly-once effects: decode, gate, bookkeeping and one commit per batch.
5. encrypted: `PostgresEventStore.append` of a private event whose two personal fields are
   sealed under its person's data key (AES-GCM), 8 writers as in the append pair, each
   person's stream holding EVENTS_PER_AGGREGATE events, so one append in that many makes
   (and inserts) a new person's key, in a commit of its own (an fsync: most of the cost)
   -- against the same appends of the same event type with nothing marked for encryption,
   on the same streams. A reference line does the same
   for the load path: every person's stream loaded and decoded, 8 readers, by a store whose
   key cache is cold (as after a restart or the cache's time to live: one key query per
   stream), against the same loads of the plain events.
6. sealed-projection (sealed_projection.py): `EventConsumer` with a projection writing each
   batch of member registrations -- the name opened from its seal under the member's data
   key, one member (one key) per event, a keyring with a cold cache -- with one
   `INSERT ... SELECT FROM unnest`, from start until every event of an N-event backlog is
   applied -- against the same consumer and projection on N of the same registrations with
   nothing sealed, relayed into the same stream; the side that goes first alternates. A
   second line gives the difference in microseconds per event.

Postgres runs with fsync on, JetStream with file storage and its default (non-sync) flushes.
`--only relay,consumer` runs a subset (the consumers then relay their own backlog, untimed).
`--cluster` runs the same pairs on the topology a province ships: three clustered
nats-servers on this machine, every stream with three replicas and `sync_interval: always`
(each node fsyncs before it acknowledges), both sides of each pair alike.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import importlib.metadata
import json
import os
import platform
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import asyncpg
import nats
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, PubAck
from nats.js.errors import NotFoundError
from sealed_projection import cost_line, one_repeat  # type: ignore[import-not-found]

from chibo_kernel import (
    ConsumerSpec,
    DomainEvent,
    EventConsumer,
    EventRegistry,
    KernelMetrics,
    OutboxRelay,
    PostgresEventStore,
    ReceivedEvent,
    StreamAppend,
    StreamSpec,
    declare_stream,
)
from chibo_kernel.db import create_pool
from chibo_kernel.envelope import binary_headers
from chibo_kernel.keyring import MasterKey, PostgresKeyring
from chibo_kernel.logging import configure_logging
from chibo_kernel.migrations import upgrade
from chibo_kernel.pool import LeanPool
from chibo_kernel.privacy import IDENTIFIER, PERSONAL
from chibo_kernel.store import Answer, IdempotencyKey
from chibo_kernel.subjects import category_subjects, event_subject
from chibo_tools.embedded import Stack, create_database

WRITERS = 8
BATCH_STREAMS = 10
BATCH_EVENTS = 500
FETCH_BATCH = 256
PUBLISH_IN_FLIGHT = 4000  # what OutboxRelay gives its JetStream context
BODY_BYTES = 400
DEADLINE_SECONDS = 300.0
PAIR_NAMES = ("append", "keyed", "batch", "relay", "consumer", "encrypted", "sealed-projection")
OTHER_BENCHMARKS = ("rebuild", "own_rebuild")  # `./chibo bench --only` names them too

SERVICE = "bench"
KERNEL_STREAM = StreamSpec(SERVICE)
RAW_STREAM = StreamSpec("benchraw")  # same configuration, its own subjects
RAW_COLUMNS = ("stream_id", "version", "event_id", "event_type", "data", "metadata")

RAW_TABLE_DDL = """
CREATE TABLE IF NOT EXISTS raw_events (
    position bigint GENERATED ALWAYS AS IDENTITY,
    stream_id text NOT NULL,
    version int NOT NULL,
    event_id uuid NOT NULL UNIQUE,
    event_type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_id, version)
)
"""
RAW_INSERT = (
    "INSERT INTO raw_events (stream_id, version, event_id, event_type, data, metadata) "
    "VALUES ($1, $2, $3, $4, $5, $6)"
)
APPLIED_DDL = """
CREATE TABLE IF NOT EXISTS bench_applied (
    id bigserial PRIMARY KEY,
    consumer text NOT NULL,
    stream_id text NOT NULL,
    version int NOT NULL,
    event_id uuid NOT NULL
)
"""
APPLIED_INSERT = """
INSERT INTO bench_applied (consumer, stream_id, version, event_id)
SELECT $1, s, v, e FROM unnest($2::text[], $3::int[], $4::uuid[]) AS u(s, v, e)
"""

RawRow = tuple[str, int, uuid.UUID, str, str, str]
EVENTS_PER_AGGREGATE = 10  # a meeting holds about as many; a member a few dozen over years
ANSWER = Answer(
    201, json.dumps({"versions": {"thing-w0": 1}}).encode(), "application/json", "f" * 64
)


# --- the event and the projection ---------------------------------------------------------


class ThingHappened(DomainEvent):
    event_type: ClassVar[str] = f"chibo.{SERVICE}.thing_happened.v1"
    n: int
    title: str
    note: str


def make_event(n: int) -> ThingHappened:
    """An event whose JSON body is BODY_BYTES long."""
    bare = ThingHappened(n=n, title=f"Meeting minutes #{n}", note="")
    padding = BODY_BYTES - len(bare.model_dump_json())
    return ThingHappened(n=n, title=bare.title, note="x" * max(0, padding))


REGISTRY = EventRegistry([ThingHappened])


class UnnestProjection:
    """One `INSERT ... SELECT FROM unnest(...)` per batch, like the tests' LoggingProjection."""

    def __init__(self, consumer: str) -> None:
        self.consumer = consumer

    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None:
        await conn.execute(
            APPLIED_INSERT,
            self.consumer,
            [r.envelope.subject for r in events],
            [r.envelope.stream_version for r in events],
            [r.envelope.id for r in events],
        )


# --- results ------------------------------------------------------------------------------


@dataclass
class Side:
    label: str
    rates: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


@dataclass
class Pair:
    name: str
    project: Side
    raw: Side
    expect: float
    measure: Callable[[Pair, World], Awaitable[None]]  # one repeat of both sides
    reference: Side | None = None  # printed, never used as the denominator
    reference_note: str = ""
    # When set, the reference line compares the reference with this side, not the project.
    reference_base: Side | None = None
    # A line of its own under the ratio, from the two medians (project, raw).
    note: Callable[[float, float], str] | None = None

    @property
    def ratio(self) -> float:
        return self.project.median / self.raw.median


def rate(events: int, seconds: float) -> float:
    return events / seconds


async def timed(events: int, work: Awaitable[object]) -> float:
    began = time.perf_counter()
    await work
    return rate(events, time.perf_counter() - began)


# --- the servers, shared by every measurement ---------------------------------------------


@dataclass
class World:
    url: str
    nats_url: str
    pool: LeanPool  # 8 connections, json/jsonb as text: the kernel's own pool
    single: LeanPool  # 1 connection, for the single-connection batch append
    nc: NATS
    events: int
    replicas: int = 1

    @property
    def js(self) -> JetStreamContext:
        return self.nc.jetstream()

    async def reset_tables(self) -> None:
        """Empty tables, and no dirty pages left over for the next measurement to flush."""
        await self.pool.execute(
            "TRUNCATE events, raw_events, relay_checkpoints, consumer_stream_versions, "
            "consumer_positions, bench_applied, idempotency_keys"
        )
        await self.pool.execute("CHECKPOINT")

    async def fresh_stream(self, spec: StreamSpec) -> None:
        with contextlib.suppress(NotFoundError):
            await self.js.delete_stream(spec.name)
        await declare_stream(self.js, dataclasses.replace(spec, replicas=self.replicas))


# --- 1. single-event appends, 8 writers -----------------------------------------------------


def per_writer(total: int) -> int:
    return max(1, total // WRITERS)


async def kernel_single_appends(world: World) -> float:
    store = PostgresEventStore(world.pool)
    count = per_writer(world.events)
    batches = [[make_event(i) for i in range(count)] for _ in range(WRITERS)]

    async def writer(w: int, events: list[ThingHappened]) -> None:
        for version, event in enumerate(events):
            await store.append(f"thing-w{w}", version, [event])

    work = asyncio.gather(*(writer(w, b) for w, b in enumerate(batches)))
    return await timed(count * WRITERS, work)


async def kernel_keyed_appends(world: World, *, keyed: bool) -> float:
    """As `kernel_single_appends`, each append a command: with `keyed`, under its own
    Idempotency-Key, its answer recorded in the append's transaction (what a request with
    the header costs)."""
    store = PostgresEventStore(world.pool)
    count = per_writer(world.events)
    batches = [[make_event(i) for i in range(count)] for _ in range(WRITERS)]

    async def writer(w: int, events: list[ThingHappened]) -> None:
        for version, event in enumerate(events):
            append = StreamAppend(f"thing-w{w}", version, [event])
            if not keyed:
                await store.append_batch([append])
                continue
            async with store.keyed(bench_key()) as command:
                await store.append_batch([append])
                await command.settle(ANSWER)

    work = asyncio.gather(*(writer(w, b) for w, b in enumerate(batches)))
    return await timed(count * WRITERS, work)


async def kernel_commands(world: World, *, keyed: bool) -> float:
    """A command as the kernel runs one for a service: load the aggregate's stream (each
    writer spreads its commands over streams of EVENTS_PER_AGGREGATE events), append one
    event at the version it read, in a transaction with an inline projection that writes a
    row per event -- with `keyed`, the command run under its key, its answer recorded in
    that transaction."""
    store = PostgresEventStore(world.pool)
    count = per_writer(world.events)
    batches = [[make_event(i) for i in range(count)] for _ in range(WRITERS)]
    aggregates = max(1, count // EVENTS_PER_AGGREGATE)

    async def project(conn: asyncpg.Connection, appends: Sequence[StreamAppend]) -> None:
        streams = [a.stream_id for a in appends for _ in a.events]
        versions = [a.expected_version + 1 + i for a in appends for i in range(len(a.events))]
        ids = [uuid.uuid4() for _ in streams]
        await conn.execute(APPLIED_INSERT, "commands", streams, versions, ids)

    async def command(stream: str, event: ThingHappened) -> None:
        version = len(await store.load(stream))
        await store.append_batch([StreamAppend(stream, version, [event])], project=project)

    async def writer(w: int, events: list[ThingHappened]) -> None:
        for i, event in enumerate(events):
            stream = f"thing-w{w}-{i % aggregates}"
            if not keyed:
                await command(stream, event)
                continue
            async with store.keyed(bench_key()) as keyed_command:
                await command(stream, event)
                await keyed_command.settle(ANSWER)

    work = asyncio.gather(*(writer(w, b) for w, b in enumerate(batches)))
    return await timed(count * WRITERS, work)


def bench_key() -> IdempotencyKey:
    return IdempotencyKey("bench@province", uuid.uuid4().hex, "f" * 64)


def raw_rows(stream_id: str, count: int, first_version: int = 1) -> list[RawRow]:
    meta = json.dumps({"correlation_id": str(uuid.uuid4()), "org_path": []}, separators=(",", ":"))
    return [
        (
            stream_id,
            first_version + i,
            uuid.uuid4(),
            ThingHappened.event_type,
            make_event(i).model_dump_json(),
            meta,
        )
        for i in range(count)
    ]


async def raw_single_inserts(world: World) -> float:
    count = per_writer(world.events)
    rows = [raw_rows(f"thing-w{w}", count) for w in range(WRITERS)]

    async def writer(mine: list[RawRow]) -> None:
        async with world.pool.acquire() as conn:
            for row in mine:
                await conn.execute(RAW_INSERT, *row)

    return await timed(count * WRITERS, asyncio.gather(*(writer(r) for r in rows)))


# --- 2. batch appends, one connection ------------------------------------------------------


def batch_appends(total: int) -> list[list[StreamAppend]]:
    """Calls of BATCH_EVENTS events, spread over BATCH_STREAMS streams."""
    per_stream = BATCH_EVENTS // BATCH_STREAMS
    calls = max(1, total // BATCH_EVENTS)
    return [
        [
            StreamAppend(
                f"thing-b{s}",
                c * per_stream,
                [make_event(c * per_stream + i) for i in range(per_stream)],
            )
            for s in range(BATCH_STREAMS)
        ]
        for c in range(calls)
    ]


async def append_all(store: PostgresEventStore, calls: list[list[StreamAppend]]) -> None:
    for appends in calls:
        await store.append_batch(appends)


async def kernel_batch_appends(world: World) -> float:
    calls = batch_appends(world.events)
    store = PostgresEventStore(world.single)
    return await timed(len(calls) * BATCH_EVENTS, append_all(store, calls))


def raw_batches(total: int) -> list[list[RawRow]]:
    per_stream = BATCH_EVENTS // BATCH_STREAMS
    calls = max(1, total // BATCH_EVENTS)
    return [
        [
            row
            for s in range(BATCH_STREAMS)
            for row in raw_rows(f"thing-b{s}", per_stream, c * per_stream + 1)
        ]
        for c in range(calls)
    ]


async def raw_copy(world: World) -> float:
    batches = raw_batches(world.events)
    # A plain connection: COPY is binary, and asyncpg's own jsonb codec takes str.
    conn = await asyncpg.connect(world.url)
    try:

        async def copy_all() -> None:
            for records in batches:
                await conn.copy_records_to_table("raw_events", records=records, columns=RAW_COLUMNS)

        return await timed(len(batches) * BATCH_EVENTS, copy_all())
    finally:
        await conn.close()


# --- 3. relay versus publish_async ---------------------------------------------------------


async def fill_backlog(world: World) -> int:
    """Commit N events of the bench service, to be relayed from a fresh relay checkpoint.

    Analysed and checkpointed, as a table in service would be, so that the relay is not
    timed while Postgres flushes the bulk load.
    """
    await world.reset_tables()
    calls = batch_appends(world.events)
    await append_all(PostgresEventStore(world.pool), calls)
    await world.pool.execute("ANALYZE events")
    await world.pool.execute("CHECKPOINT")
    return len(calls) * BATCH_EVENTS


async def kernel_relay(world: World, total: int) -> float:
    await world.fresh_stream(KERNEL_STREAM)
    metrics = KernelMetrics()
    relay = OutboxRelay(database_url=world.url, nc=world.nc, stream=KERNEL_STREAM, metrics=metrics)
    conn = await asyncpg.connect(world.url)
    try:

        async def relay_all() -> None:
            published = 0
            while published < total:
                published += await relay.publish_round(conn)

        return await timed(total, relay_all())
    finally:
        await conn.close()


HeaderSet = Literal["cloudevents", "msg-id"]


def raw_headers(kind: HeaderSet, msg_id: str, previous: str | None, i: int) -> dict[str, str]:
    """What a bare client would send: the relay's full CloudEvents set, or the dedup id only."""
    if kind == "msg-id":
        return {"Nats-Msg-Id": msg_id}
    headers = binary_headers(
        event_id=msg_id,
        source=f"/chibo/{RAW_STREAM.service}",
        event_type=f"chibo.{RAW_STREAM.service}.thing_happened.v1",
        time="2026-11-21T19:30:00.123456+00:00",
        subject="thing-0",
        stream_version=str(i + 1),
        correlation_id=msg_id,
        causation_id=None,
    )
    if previous is not None:
        headers["Nats-Expected-Last-Msg-Id"] = previous
    return headers


async def raw_publish(world: World, *, headers: HeaderSet) -> float:
    await world.fresh_stream(RAW_STREAM)
    js = world.nc.jetstream(publish_async_max_pending=PUBLISH_IN_FLIGHT)
    subject = event_subject(f"chibo.{RAW_STREAM.service}.thing_happened.v1", "thing-0")
    bodies = [make_event(i).model_dump_json().encode() for i in range(world.events)]
    ids = [str(uuid.uuid4()) for _ in bodies]

    async def publish_all() -> None:
        futures: list[asyncio.Future[PubAck]] = []
        previous = None
        for i, (body, msg_id) in enumerate(zip(bodies, ids, strict=True)):
            hdrs = raw_headers(headers, msg_id, previous, i)
            previous = msg_id
            futures.append(await js.publish_async(subject, body, headers=hdrs))
        for future in futures:
            await future  # raises if any publish was refused

    return await timed(len(bodies), publish_all())


# --- 4. consumer versus a bare pull consumer -----------------------------------------------


def consumer_spec(name: str) -> ConsumerSpec:
    return ConsumerSpec(
        name=name,
        stream=KERNEL_STREAM.name,
        filter_subjects=[category_subjects(SERVICE, "thing")],
        batch_size=FETCH_BATCH,
    )


async def backlog_size(world: World) -> int:
    """The consumers' backlog: what the relay run of this repeat left on the stream."""
    expected = (world.events // BATCH_EVENTS) * BATCH_EVENTS
    try:
        info = await world.js.stream_info(KERNEL_STREAM.name)
        if info.state.messages == expected:
            return expected
    except NotFoundError:
        pass
    await kernel_relay(world, await fill_backlog(world))  # the relay pair did not run
    return expected


async def kernel_consume(world: World) -> float:
    total = await backlog_size(world)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    metrics = KernelMetrics()
    broker = NatsBroker(world.nats_url.split(","))
    await broker.connect()
    consumer = EventConsumer(
        consumer_spec(name),
        pool=world.pool,
        broker=broker,
        registry=REGISTRY,
        projection=UnnestProjection(name),
        metrics=metrics,
    )
    stop = asyncio.Event()

    def applied() -> float:
        labels = {"consumer": name, "outcome": "applied"}
        return metrics.registry.get_sample_value("chibo_consumer_messages_total", labels) or 0

    began = time.perf_counter()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await until(lambda: applied() >= total or task.done())
        seconds = time.perf_counter() - began
        if task.done():
            task.result()  # surfaces the consumer's crash
            raise RuntimeError(f"consumer stopped after {applied():.0f}/{total} events")
    finally:
        stop.set()
        await task
        await broker.stop()
        await world.js.delete_consumer(KERNEL_STREAM.name, name)
    return rate(total, seconds)


async def until(condition: Callable[[], bool], interval: float = 0.002) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step did not finish")
        await asyncio.sleep(interval)


async def raw_pull(world: World) -> float:
    total = await backlog_size(world)
    name = f"raw_{uuid.uuid4().hex[:10]}"
    spec = consumer_spec(name)
    config = ConsumerConfig(
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=spec.ack_wait_seconds,
        max_ack_pending=spec.max_ack_pending,
    )

    async def consume_all() -> None:
        sub = await world.js.pull_subscribe(
            spec.filter_subjects[0], durable=name, stream=spec.stream, config=config
        )
        received = 0
        try:
            while received < total:
                try:
                    messages = await sub.fetch(FETCH_BATCH, timeout=spec.fetch_timeout_seconds)
                except TimeoutError:
                    continue
                for msg in messages:
                    await msg.ack()
                received += len(messages)
        finally:
            await sub.unsubscribe()

    try:
        return await timed(total, consume_all())
    finally:
        await world.js.delete_consumer(spec.stream, name)


# --- 5. private events with personal fields, sealed against in plain ---------------------


class PersonNoted(DomainEvent):
    event_type: ClassVar[str] = f"chibo.{SERVICE}.person_noted.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    # Marks as defaults, not Annotated: cProfile runs this file where pydantic could not
    # resolve Annotated (see README, profiling).
    member_id: str = IDENTIFIER
    full_name: str = PERSONAL
    card_number: str = PERSONAL
    note: str


class PersonNotedPlain(PersonNoted):
    """The same fields, with no data subject: nothing is sealed."""

    event_type: ClassVar[str] = f"chibo.{SERVICE}.person_noted_plain.v1"
    data_subject: ClassVar[str | None] = None


PERSON_REGISTRY = EventRegistry([PersonNoted, PersonNotedPlain])
BENCH_MASTER_KEY = MasterKey.generate()


def make_person(model: type[PersonNoted], writer: int, person: int) -> PersonNoted:
    """An event whose plain JSON body is BODY_BYTES long."""
    member_id = f"m-w{writer}-{person}"
    bare = model(member_id=member_id, full_name="Lò Văn Pao", card_number="0123456789", note="")
    padding = BODY_BYTES - len(bare.model_dump_json())
    return bare.model_copy(update={"note": "x" * max(0, padding)})


def person_stream(writer: int, person: int) -> str:
    return f"person_private-w{writer}-{person}"


def private_store(world: World) -> PostgresEventStore:
    """A store with a key cache of its own, cold when made."""
    return PostgresEventStore(world.pool, keyring=PostgresKeyring(world.pool, BENCH_MASTER_KEY))


async def kernel_private_appends(world: World, model: type[PersonNoted]) -> float:
    store = private_store(world)
    count = per_writer(world.events)

    async def writer(w: int) -> None:
        for i in range(count):
            person, version = divmod(i, EVENTS_PER_AGGREGATE)
            await store.append(person_stream(w, person), version, [make_person(model, w, person)])

    return await timed(count * WRITERS, asyncio.gather(*(writer(w) for w in range(WRITERS))))


async def kernel_private_loads(world: World) -> float:
    store = private_store(world)
    count = per_writer(world.events)
    people = -(-count // EVENTS_PER_AGGREGATE)

    async def reader(w: int) -> None:
        for person in range(people):
            for recorded in await store.load(person_stream(w, person)):
                recorded.decode(PERSON_REGISTRY)

    return await timed(count * WRITERS, asyncio.gather(*(reader(w) for w in range(WRITERS))))


async def measure_encrypted(pair: Pair, world: World) -> None:
    assert pair.reference is not None
    assert pair.reference_base is not None
    for model, appends, loads in (
        (PersonNoted, pair.project, pair.reference),
        (PersonNotedPlain, pair.raw, pair.reference_base),
    ):
        await world.reset_tables()
        await world.pool.execute("TRUNCATE data_keys")
        appends.rates.append(await kernel_private_appends(world, model))
        loads.rates.append(await kernel_private_loads(world))


async def measure_sealed_projection(pair: Pair, world: World) -> None:
    """Sealed first on even repeats, plain first on odd ones."""
    sealed, plain = await one_repeat(world, sealed_first=len(pair.project.rates) % 2 == 0)
    pair.project.rates.append(sealed)
    pair.raw.rates.append(plain)


# --- running and reporting -----------------------------------------------------------------


async def measure_append(pair: Pair, world: World) -> None:
    pair.project.rates.append(await kernel_single_appends(world))
    await world.reset_tables()
    pair.raw.rates.append(await raw_single_inserts(world))


async def measure_keyed(pair: Pair, world: World) -> None:
    assert pair.reference is not None
    pair.project.rates.append(await kernel_commands(world, keyed=True))
    await world.reset_tables()
    pair.raw.rates.append(await kernel_commands(world, keyed=False))
    await world.reset_tables()
    assert pair.reference_base is not None
    pair.reference.rates.append(await kernel_keyed_appends(world, keyed=True))
    await world.reset_tables()
    pair.reference_base.rates.append(await kernel_keyed_appends(world, keyed=False))


async def measure_batch(pair: Pair, world: World) -> None:
    pair.project.rates.append(await kernel_batch_appends(world))
    await world.reset_tables()
    pair.raw.rates.append(await raw_copy(world))


async def measure_relay(pair: Pair, world: World) -> None:
    """The relay runs last: the stream it fills is the consumers' backlog."""
    assert pair.reference is not None
    total = await fill_backlog(world)
    pair.raw.rates.append(await raw_publish(world, headers="cloudevents"))
    pair.reference.rates.append(await raw_publish(world, headers="msg-id"))
    pair.project.rates.append(await kernel_relay(world, total))


async def measure_consumer(pair: Pair, world: World) -> None:
    pair.project.rates.append(await kernel_consume(world))
    await world.reset_tables()
    pair.raw.rates.append(await raw_pull(world))


def make_pairs() -> list[Pair]:
    return [
        Pair(
            "append",
            Side("PostgresEventStore.append, 1 event/call, 8 writers"),
            Side("raw asyncpg INSERT autocommit, 8 conns"),
            expect=0.6,
            measure=measure_append,
        ),
        Pair(
            "keyed",
            Side("command with an Idempotency-Key and its answer, 1 event/command, 8 writers"),
            Side("the same command without a key (load, append + inline projection)"),
            expect=0.9,
            measure=measure_keyed,
            reference=Side("keyed append without a projection"),
            reference_note="the bare path, which no service's command takes",
            reference_base=Side("PostgresEventStore.append without a key"),
        ),
        Pair(
            "batch",
            Side(f"append_batch, {BATCH_EVENTS} events/{BATCH_STREAMS} streams per call"),
            Side(f"raw copy_records_to_table, {BATCH_EVENTS} rows/call"),
            expect=0.3,
            measure=measure_batch,
        ),
        Pair(
            "relay",
            Side("OutboxRelay.publish_round loop"),
            Side("raw JetStream publish_async, same CloudEvents headers"),
            expect=0.6,
            measure=measure_relay,
            reference=Side("raw JetStream publish_async, Nats-Msg-Id header only"),
            reference_note="the ratio above sends the same headers as the relay",
        ),
        Pair(
            "consumer",
            Side(f"EventConsumer + unnest projection, batch {FETCH_BATCH}"),
            Side(f"raw pull fetch({FETCH_BATCH}) + ack each, no DB"),
            expect=0.5,
            measure=measure_consumer,
        ),
        Pair(
            "encrypted",
            Side("append of a private event, 2 personal fields sealed, 8 writers"),
            Side("the same append in plain"),
            expect=0.7,
            measure=measure_encrypted,
            reference=Side("encrypted load + decode, cold key cache, 8 readers"),
            reference_note="the load path",
            reference_base=Side("the same load + decode in plain"),
        ),
        Pair(
            "sealed-projection",
            Side("EventConsumer + projection writing each member's opened name"),
            Side("the same projection in plain"),
            expect=0.6,  # see sealed_projection.py
            measure=measure_sealed_projection,
            note=cost_line,
        ),
    ]


def human(value: float) -> str:
    return f"{value / 1000:.1f}k" if value >= 1000 else f"{value:.0f}"


def report_line(pair: Pair) -> str:
    verdict = "ok" if pair.ratio >= pair.expect else "BELOW"
    line = (
        f"{pair.name:<9} {human(pair.project.median):>6} ev/s = {pair.ratio:.2f}x "
        f"{pair.raw.label} ({human(pair.raw.median)} ev/s)  [>= {pair.expect}x] {verdict}"
    )
    ref, base = pair.reference, pair.reference_base
    if pair.note is not None:
        line += f"\n{'':<9} {pair.note(pair.project.median, pair.raw.median)}"
    if ref is not None and base is not None:
        line += (
            f"\n{'':<9} {human(ref.median):>6} ev/s = {ref.median / base.median:.2f}x "
            f"{base.label} ({human(base.median)} ev/s), {ref.label}: reference only, "
            f"{pair.reference_note}"
        )
    elif ref is not None:
        line += (
            f"\n{'':<9} {'':>6}        {pair.project.median / ref.median:.2f}x "
            f"{ref.label} ({human(ref.median)} ev/s): reference only, {pair.reference_note}"
        )
    return line


def detail_lines(pair: Pair) -> list[str]:
    extra = [side for side in (pair.reference, pair.reference_base) if side is not None]
    sides = [pair.project, pair.raw, *extra]
    return [
        f"  {pair.name:<9} {side.label}: " + ", ".join(human(r) for r in side.rates)
        for side in sides
    ]


def environment(pg_version: str, nc: NATS, events: int, repeats: int) -> str:
    server = nc.connected_server_version
    versions = {p: importlib.metadata.version(p) for p in ("nats-py", "asyncpg", "pydantic")}
    libs = ", ".join(f"{name} {version}" for name, version in versions.items())
    return (
        f"env: {os.cpu_count()} cpus, python {platform.python_version()}, "
        f"nats-server {server.major}.{server.minor}.{server.patch}, postgres {pg_version}, "
        f"{libs}; {events} events x {repeats} repeats, {BODY_BYTES}-byte JSON bodies, "
        "medians"
    )


async def prepare(url: str, nats_url: str, events: int, replicas: int = 1) -> World:
    pool = await create_pool(url, min_size=WRITERS, max_size=WRITERS)
    single = await create_pool(url, min_size=1, max_size=1)
    await pool.execute(RAW_TABLE_DDL)
    await pool.execute(APPLIED_DDL)
    nc = await nats.connect(nats_url.split(","))
    world = World(
        url=url,
        nats_url=nats_url,
        pool=pool,
        single=single,
        nc=nc,
        events=events,
        replicas=replicas,
    )
    await world.reset_tables()
    return world


async def close(world: World) -> None:
    await world.nc.drain()
    await world.pool.close()
    await world.single.close()


async def run(
    url: str,
    nats_url: str,
    events: int,
    repeats: int,
    only: Sequence[str] = (),
    replicas: int = 1,
) -> list[str]:
    world = await prepare(url, nats_url, events, replicas)
    try:
        pairs = [pair for pair in make_pairs() if not only or pair.name in only]
        for _ in range(repeats):
            for pair in pairs:
                await pair.measure(pair, world)
                await world.reset_tables()
        pg_version = await world.pool.fetchval("SHOW server_version")
        topology = (
            "; nats: 3 clustered nodes, R3 streams, sync_interval always"
            if replicas > 1
            else "; nats: one node, R1, default flushes"
        )
        lines = [environment(pg_version, world.nc, events, repeats) + topology, ""]
        lines += [report_line(pair) for pair in pairs]
        lines += ["", "per repeat (ev/s):"]
        lines += [line for pair in pairs for line in detail_lines(pair)]
        return lines
    finally:
        await close(world)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=15_000, help="events per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; medians reported")
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of {', '.join(PAIR_NAMES)}"
    )
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="three clustered nats-servers, R3 streams, sync_interval always",
    )
    args = parser.parse_args()
    args.only = [name for name in args.only.split(",") if name]
    names = (*PAIR_NAMES, *OTHER_BENCHMARKS)
    if not set(args.only) <= set(names):
        parser.error(f"--only takes names from {', '.join(names)}")
    if args.events < BATCH_EVENTS or args.repeat < 1:
        parser.error(f"--events must be at least {BATCH_EVENTS} and --repeat at least 1")
    return args


def main() -> None:
    args = parse_args()
    if args.only and not set(args.only) & set(PAIR_NAMES):
        print(f"kernel pairs: not run (--only {','.join(args.only)})")
        return
    configure_logging("bench", "WARNING")
    # In a fresh temp dir, removed again on exit.
    with Stack(services=(), cluster=args.cluster) as stack:
        url = create_database(stack.admin_database_url, "bench")
        upgrade(url)
        replicas = 3 if args.cluster else 1
        lines = asyncio.run(run(url, stack.nats_url, args.events, args.repeat, args.only, replicas))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
