"""Two instances running a consumed read model's generation when the database ends their
sessions (a restart, a failover) while the processes live on: the lease freed with the
session, the instance that held it stops pulling and the one awaiting it asks again, so one
instance leads, holding the lease; and when that one stops, the other takes over."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import asyncpg
import pytest

from chibo_kernel import KernelMetrics
from chibo_kernel.consumer import ConsumerSpec
from chibo_kernel.pool import SESSION_LOST, LeanPool
from chibo_kernel.read_models import ConsumedGenerations, Source, SwappedReadModel

from .support import eventually
from .test_consumed_read_models import TABLES, Totals, appended, expected, rows
from .test_consumer import World

_HELD = """
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
   AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('chibo-consumer:' || $1, 0)
"""


@pytest.fixture
async def world(kernel_db: str, pool: LeanPool, broker: object, nc: object) -> World:
    await pool.execute("CREATE TABLE thing_totals (thing text PRIMARY KEY, total int NOT NULL)")
    await pool.execute("CREATE TABLE thing_log (thing text, n int, PRIMARY KEY (thing, n))")
    return await World(kernel_db, pool, broker, nc).start()  # type: ignore[arg-type]


@pytest.fixture
async def two(world: World) -> AsyncIterator[tuple[str, list[ConsumedGenerations]]]:
    """The read model's consumer name and two instances running it."""
    name = f"things-{uuid.uuid4().hex[:6]}-v1"
    spec = ConsumerSpec(
        name, world.stream.name, world.spec("any").filter_subjects, fetch_timeout_seconds=0.2
    )
    model = SwappedReadModel(
        name=f"things-{uuid.uuid4().hex[:6]}",
        tables=TABLES,
        sources=(Source(spec, world.registry),),
        projection=Totals(),
    )
    instances = [
        ConsumedGenerations(
            model, pool=world.pool, broker=world.broker, metrics=KernelMetrics(), look_seconds=0.2
        )
        for _ in range(2)
    ]
    for instance in instances:
        await instance.start()
    yield name, instances
    for instance in instances:
        await instance.stop()


async def test_after_the_database_ends_every_session_one_instance_leads_and_the_other_takes_over(
    world: World, two: tuple[str, list[ConsumedGenerations]]
) -> None:
    name, instances = two

    async def caught_up(each: int) -> bool:
        return bool(await _answered(rows(world.pool)) == expected(3, each))

    async def one_leader_holding_the_lease() -> bool:
        leading = sorted(len(i.leading) for i in instances)
        return leading == [0, 1] and await _answered(world.pool.fetchval(_HELD, name)) == 1

    await appended(world, 3, 10)
    await eventually(lambda: caught_up(10), what="the generation to apply the stream")
    await eventually(one_leader_holding_the_lease, what="one instance leading")

    admin = await asyncpg.connect(world.url)
    try:  # as a restart or a failover does, every other session on the database ends
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()

    await eventually(one_leader_holding_the_lease, what="one instance leading again")
    await appended(world, 3, 5, start=10)
    await eventually(lambda: caught_up(15), what="the events after the restart applied")
    leader, other = sorted(instances, key=lambda i: not i.leading)
    await leader.stop()
    await appended(world, 3, 5, start=15)
    await eventually(lambda: caught_up(20), what="the other instance to take over")

    assert other.leading == {name}
    assert await world.pool.fetchval("SELECT count(*) FROM parked_messages") == 0


async def _answered(query: Awaitable[Any]) -> Any:
    """The answer, or None while the test's own pooled connections meet their ended sessions
    (the pool replaces each after its first failure)."""
    try:
        return await query
    except (*SESSION_LOST, asyncpg.PostgresError):
        return None
