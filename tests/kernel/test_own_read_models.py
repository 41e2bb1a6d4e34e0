"""Rebuilding a service's own read models from its event store, against real PostgreSQL:
the old tables serve reads and commands until one short step swaps the rebuilt ones in; no
event is lost or applied twice whatever commits during the rebuild."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from chibo_chassis.read_model_watch import ReadModelWatch
from chibo_kernel import DomainEvent, KernelMetrics, PostgresEventStore, StreamAppend
from chibo_kernel.pool import LeanPool
from chibo_kernel.read_models import (
    AlreadyRebuilding,
    OwnReadModels,
    built_version,
    rebuild_own,
)
from chibo_kernel.store import per_event

from .support import ThingHappened, event_models, eventually, new_service

Happened, Renamed, registry = event_models(new_service())
TABLES = ("thing_totals", "thing_log")


class Projection:
    """Totals per thing and one row per event: a primary key catches any double."""

    def __init__(self, poison: int | None = None) -> None:
        self.poison = poison

    async def apply(self, conn: asyncpg.Connection, event: DomainEvent) -> None:
        if not isinstance(event, ThingHappened):
            return
        if event.n == self.poison:
            raise ValueError(f"cannot project n={event.n}")
        thing, version = event.note, event.n  # the event names its thing and its version
        await conn.execute("INSERT INTO thing_log VALUES ($1, $2)", thing, version)
        await conn.execute(
            "INSERT INTO thing_totals VALUES ($1, $2) ON CONFLICT (thing) "
            "DO UPDATE SET total = thing_totals.total + excluded.total",
            thing,
            version,
        )


def spec(projection: Projection, version: int = 2) -> OwnReadModels:
    return OwnReadModels("things", version, TABLES, per_event(projection.apply), registry)


@pytest.fixture
async def things(pool: LeanPool) -> PostgresEventStore:
    await pool.execute("CREATE TABLE thing_totals (thing text PRIMARY KEY, total int NOT NULL)")
    await pool.execute(
        "CREATE TABLE thing_log (thing text, n int, PRIMARY KEY (thing, n))"
        "; CREATE INDEX thing_log_by_n ON thing_log (n)"
    )
    return PostgresEventStore(pool)


async def append(store: PostgresEventStore, thing: str, count: int, start: int = 0) -> None:
    project = per_event(Projection().apply)
    for n in range(start + 1, start + count + 1):
        event = Happened(n=n, note=thing)
        await store.append_batch([StreamAppend(thing, n - 1, [event])], project=project)


async def state(pool: LeanPool) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    totals = await pool.fetch("SELECT thing, total FROM thing_totals ORDER BY thing")
    log = await pool.fetch("SELECT thing, n FROM thing_log ORDER BY thing, n")
    return [tuple(r) for r in totals], [tuple(r) for r in log]


def expected(counts: dict[str, int]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    totals = sorted((t, c * (c + 1) // 2) for t, c in counts.items())
    log = sorted((t, n) for t, c in counts.items() for n in range(1, c + 1))
    return totals, log


async def test_a_damaged_read_model_is_rebuilt_from_the_events(
    pool: LeanPool, things: PostgresEventStore
) -> None:
    counts = {f"thing-{uuid.uuid4().hex[:8]}": c for c in (3, 5, 8)}
    for thing, count in counts.items():
        await append(things, thing, count)
    assert await built_version(pool, "things", 1) == 1  # built by the code from the start
    await pool.execute("DELETE FROM thing_log WHERE n > 2; UPDATE thing_totals SET total = 0")

    seen: list[tuple[int, int]] = []
    rebuilt = await rebuild_own(pool, spec(Projection()), lambda done, of: seen.append((done, of)))

    assert await state(pool) == expected(counts)
    assert (rebuilt.events, seen[-1]) == (16, (16, 16))
    assert await built_version(pool, "things", 2) == 2
    # The shape came along: the index is there, and no work schema is left behind.
    indexes = await pool.fetch("SELECT indexname FROM pg_indexes WHERE tablename = 'thing_log'")
    assert {"thing_log_by_n"} <= {r["indexname"] for r in indexes}
    schemas = await pool.fetch("SELECT nspname FROM pg_namespace WHERE nspname LIKE '%things'")
    assert schemas == []


async def test_commands_and_reads_go_on_during_a_rebuild_and_none_is_lost_or_doubled(
    pool: LeanPool, things: PostgresEventStore
) -> None:
    counts = {f"thing-{uuid.uuid4().hex[:8]}": 400 for _ in range(3)}
    for thing, count in counts.items():
        await append(things, thing, count)
    rebuild_done = asyncio.Event()
    written = {thing: counts[thing] for thing in counts}
    rows_read: list[int] = []

    async def writer(thing: str) -> None:
        while not rebuild_done.is_set():
            await append(things, thing, 1, start=written[thing])
            written[thing] += 1

    async def reader() -> None:
        while not rebuild_done.is_set():
            rows_read.append(await pool.fetchval("SELECT count(*) FROM thing_log"))
            await asyncio.sleep(0)

    tasks = [asyncio.create_task(writer(t)) for t in counts] + [asyncio.create_task(reader())]
    await eventually(lambda: _more_than(written, 1300), what="writers under way")
    try:
        await rebuild_own(pool, spec(Projection()))
    finally:
        rebuild_done.set()
        await asyncio.gather(*tasks)

    assert sum(written.values()) > 1300  # commands were accepted during the rebuild
    assert await state(pool) == expected(written)
    # Readers always saw a whole table: never the empty one being filled.
    assert min(rows_read) >= 1200
    assert rows_read == sorted(rows_read)


async def _more_than(written: dict[str, int], n: int) -> bool:
    return sum(written.values()) > n


async def test_a_failed_rebuild_leaves_the_serving_tables_as_they_were(
    pool: LeanPool, things: PostgresEventStore
) -> None:
    thing = f"thing-{uuid.uuid4().hex[:8]}"
    await append(things, thing, 6)
    before = await state(pool)

    with pytest.raises(ValueError, match="n=4"):
        await rebuild_own(pool, spec(Projection(poison=4)))

    assert await state(pool) == before
    assert await built_version(pool, "things", 1) == 1
    await rebuild_own(pool, spec(Projection()))  # fixed: the leftover work schema is replaced
    assert await state(pool) == before


async def test_two_rebuilds_of_one_read_model_never_overlap(
    pool: LeanPool, things: PostgresEventStore
) -> None:
    await append(things, f"thing-{uuid.uuid4().hex[:8]}", 2)
    async with pool.acquire() as other:
        await other.execute("SELECT pg_advisory_lock(hashtext('rebuild_things'))")
        with pytest.raises(AlreadyRebuilding):
            await rebuild_own(pool, spec(Projection()))
        await other.execute("SELECT pg_advisory_unlock(hashtext('rebuild_things'))")


async def test_read_models_older_than_the_code_are_reported_until_rebuilt(
    pool: LeanPool, things: PostgresEventStore
) -> None:
    await append(things, f"thing-{uuid.uuid4().hex[:8]}", 2)
    metrics = KernelMetrics()
    await ReadModelWatch("things", spec(Projection(), version=1), metrics).check(pool)
    outdated = metrics.read_model_outdated.labels("things")
    assert outdated._value.get() == 0  # a new database's tables are the running code's

    watch = ReadModelWatch("things", spec(Projection(), version=2), metrics)
    await watch.check(pool)
    assert outdated._value.get() == 1
    await rebuild_own(pool, spec(Projection(), version=2))
    await watch.check(pool)
    assert outdated._value.get() == 0
