"""A read model consumed from another service's stream, rebuilt while the old generation
serves, with two instances of the service (real NATS, real PostgreSQL): the new generation
reads the stream from its first event into tables of its own, one instance switches it in,
the old consumers stop in both, every event is in the tables once, and when the instance
running the consumer stops the other takes over."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence

import asyncpg
import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.js.errors import NotFoundError

from chibo_kernel import KernelMetrics
from chibo_kernel.consumer import ConsumerSpec, ReceivedEvent
from chibo_kernel.pool import LeanPool
from chibo_kernel.read_models import (
    ConsumedGenerations,
    Source,
    SwappedReadModel,
    request_rebuild,
)
from chibo_kernel.read_models.consumed import state_of

from .support import ThingHappened, eventually
from .test_consumer import World

TABLES = ("thing_totals", "thing_log")


class Totals:
    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None:
        for received in events:
            assert isinstance(received.event, ThingHappened)
            thing, n = received.envelope.subject, received.event.n
            await conn.execute("INSERT INTO thing_log VALUES ($1, $2)", thing, n)  # PK: no double
            await conn.execute(
                "INSERT INTO thing_totals VALUES ($1, $2) ON CONFLICT (thing) "
                "DO UPDATE SET total = thing_totals.total + excluded.total",
                thing,
                n,
            )


@pytest.fixture
async def world(kernel_db: str, pool: LeanPool, broker: NatsBroker, nc: NATS) -> World:
    await pool.execute("CREATE TABLE thing_totals (thing text PRIMARY KEY, total int NOT NULL)")
    await pool.execute("CREATE TABLE thing_log (thing text, n int, PRIMARY KEY (thing, n))")
    return await World(kernel_db, pool, broker, nc).start()


@pytest.fixture
async def instances(
    world: World,
) -> AsyncIterator[tuple[SwappedReadModel, list[ConsumedGenerations]]]:
    spec = ConsumerSpec(
        f"things-{uuid.uuid4().hex[:6]}-v1",
        world.stream.name,
        world.spec("any").filter_subjects,
        fetch_timeout_seconds=0.2,
    )
    model = SwappedReadModel(
        name=f"things-{uuid.uuid4().hex[:6]}",
        tables=TABLES,
        sources=(Source(spec, world.registry),),
        projection=Totals(),
    )
    two = [
        ConsumedGenerations(
            model,
            pool=world.pool,
            broker=world.broker,
            metrics=KernelMetrics(),
            look_seconds=0.2,
            retire_after_seconds=0.5,
        )
        for _ in range(2)
    ]
    for instance in two:
        await instance.start()
    yield model, two
    for instance in two:
        await instance.stop()


async def appended(world: World, things: int, each: int, start: int = 0) -> None:
    for t in range(things):
        events = [world.Happened(n=n) for n in range(start + 1, start + each + 1)]
        await world.store.append(f"thing-{t}", start, events)

    async def all_published() -> bool:
        # A round publishes only below the oldest open transaction (a consumer's batch,
        # the switch): the running relay polls again, so does this.
        await world.publish()
        info = await world.nc.jetstream().stream_info(world.stream.name)
        return bool(info.state.messages == things * (start + each))

    await eventually(all_published, what="the relay to publish the events")


async def rows(pool: LeanPool) -> tuple[list[tuple[str, int]], int]:
    log = await pool.fetch("SELECT thing, n FROM thing_log ORDER BY thing, n")
    total = await pool.fetchval("SELECT coalesce(sum(total), 0) FROM thing_totals")
    return [(r["thing"], r["n"]) for r in log], int(total)


def consumer_of(model: SwappedReadModel, generation: int) -> str:
    """Generation 1 keeps the consumer's declared name; later ones add their number."""
    (source,) = model.sources
    return source.spec.name + ("" if generation == 1 else f"-g{generation}")


def expected(things: int, each: int) -> tuple[list[tuple[str, int]], int]:
    log = sorted((f"thing-{t}", n) for t in range(things) for n in range(1, each + 1))
    return log, things * each * (each + 1) // 2


async def test_a_new_generation_is_filled_and_switched_in_while_the_old_one_serves(
    world: World, instances: tuple[SwappedReadModel, list[ConsumedGenerations]]
) -> None:
    model, two = instances
    await appended(world, 3, 40)

    async def caught_up(each: int) -> bool:
        return await rows(world.pool) == expected(3, each)

    await eventually(lambda: caught_up(40), what="generation 1 to apply the stream")
    await world.pool.execute("DELETE FROM thing_log WHERE n > 30")  # damaged by hand

    assert await request_rebuild(world.pool, model) == 2
    assert await request_rebuild(world.pool, model) == 2  # asked again: the same one
    written = 40
    for _ in range(10):  # commands go on while it builds
        await appended(world, 3, 5, start=written)
        written += 5

    async def switched() -> bool:
        return await state_of(world.pool, model, 2) == "active"

    await eventually(switched, what="generation 2 to be switched in")
    await eventually(lambda: caught_up(written), what="the new generation to apply the rest")

    async def old_gone_everywhere() -> bool:
        new = {consumer_of(model, 2)}
        names = {c.spec.name for i in two for c in i.consumers} | set().union(
            *(i.leading for i in two)
        )
        return names == new and await state_of(world.pool, model, 1) == "dropped"

    await eventually(old_gone_everywhere, what="the old consumers to stop in both instances")
    with pytest.raises(NotFoundError):
        await world.nc.jetstream().consumer_info(world.stream.name, consumer_of(model, 1))
    leftovers = await world.pool.fetchval(
        "SELECT count(*) FROM consumer_stream_versions WHERE consumer = $1", consumer_of(model, 1)
    )
    assert leftovers == 0
    assert await world.pool.fetchval("SELECT count(*) FROM parked_messages") == 0
    # One instance runs the consumer; when it stops, the other takes over.
    leader, other = sorted(two, key=lambda i: not i.leading)
    assert leader.leading == {consumer_of(model, 2)}
    assert other.leading == set()
    await leader.stop()
    await appended(world, 3, 2, start=written)
    await eventually(lambda: caught_up(written + 2), what="the other instance to take over")
    assert other.leading == {consumer_of(model, 2)}
