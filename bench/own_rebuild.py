"""A service's own read models rebuilt from its event store, beside the raw limit of the same
projection's writes, measured in the same run.

- rebuild: `rebuild_own` over every stored event: copying the tables' shape, paging the
  events in the relay's order by snapshot, decoding each with the registry, the inline
  projection writing into the work schema (one transaction per page of 2,000), the last
  step holding appends back and swapping the tables in. Also printed: how long appends
  waited for that last step, with and without a writer appending throughout.
- raw limit: the same projection applied to the same events, already decoded and in
  memory, into fresh tables, one transaction per page of 2,000: the database writes alone.
  The gap is reading and decoding the events, and the swap.

The projection is a small one of the kind the services have: per event, one row inserted
and one row upserted.

    .venv/bin/python bench/own_rebuild.py [--events 20000] [--repeat 3]   (./chibo bench runs it)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Sequence
from typing import ClassVar

import asyncpg

from chibo_kernel import DomainEvent, EventRegistry, PostgresEventStore, StreamAppend
from chibo_kernel.db import create_pool
from chibo_kernel.logging import configure_logging
from chibo_kernel.migrations import upgrade
from chibo_kernel.pool import LeanPool
from chibo_kernel.read_models import OwnReadModels, rebuild_own
from chibo_kernel.store import per_event
from chibo_tools.embedded import Stack, create_database

NAME = "own_rebuild"
PAGE = 2000
STREAMS = 200


class Counted(DomainEvent):
    event_type: ClassVar[str] = "chibo.benchown.thing_counted.v1"
    thing: str
    n: int


REGISTRY = EventRegistry([Counted])
TABLES = ("counted_log", "counted_totals")
DDL = """
CREATE TABLE counted_log (thing text, n int, PRIMARY KEY (thing, n));
CREATE TABLE counted_totals (thing text PRIMARY KEY, total bigint NOT NULL);
"""


async def apply(conn: asyncpg.Connection, event: DomainEvent) -> None:
    assert isinstance(event, Counted)
    await conn.execute("INSERT INTO counted_log VALUES ($1, $2)", event.thing, event.n)
    await conn.execute(
        "INSERT INTO counted_totals VALUES ($1, $2) ON CONFLICT (thing) "
        "DO UPDATE SET total = counted_totals.total + excluded.total",
        event.thing,
        event.n,
    )


SPEC = OwnReadModels("benchown", 1, TABLES, per_event(apply), REGISTRY)


def events(total: int) -> list[StreamAppend]:
    each = max(1, total // STREAMS)
    return [
        StreamAppend(
            f"thing-{s}", 0, [Counted(thing=f"thing-{s}", n=n) for n in range(1, each + 1)]
        )
        for s in range(STREAMS)
    ]


async def raw(pool: LeanPool, appends: Sequence[StreamAppend]) -> float:
    flat = [StreamAppend(a.stream_id, 0, [e]) for a in appends for e in a.events]
    async with pool.acquire() as conn:
        await conn.execute("DROP SCHEMA IF EXISTS raw CASCADE; CREATE SCHEMA raw")
        await conn.execute(DDL.replace("CREATE TABLE ", "CREATE TABLE raw."))
        began = time.perf_counter()
        for start in range(0, len(flat), PAGE):
            async with conn.transaction():
                await conn.execute("SET LOCAL search_path TO raw, public")
                await SPEC.project(conn, flat[start : start + PAGE])
        return len(flat) / (time.perf_counter() - began)


async def writer(store: PostgresEventStore, stop: asyncio.Event) -> int:
    written = 0
    while not stop.is_set():
        written += 1
        event = Counted(thing="thing-live", n=written)
        await store.append_batch(
            [StreamAppend("thing-live", written - 1, [event])], project=SPEC.project
        )
    return written


async def run(url: str, total: int, repeats: int) -> list[str]:
    pool = await create_pool(url, max_size=4)
    try:
        await pool.execute(DDL)
        store = PostgresEventStore(pool)
        for append in events(total):
            await store.append_batch([append], project=SPEC.project)
        rates, ratios, held, held_busy, accepted = [], [], [], [], []
        for _ in range(repeats):
            limit = await raw(pool, events(total))
            rebuilt = await rebuild_own(pool, SPEC)
            rates.append(rebuilt.events / rebuilt.seconds)
            ratios.append(rates[-1] / limit)
            held.append(rebuilt.held_seconds)
            stop = asyncio.Event()
            live = asyncio.create_task(writer(store, stop))
            busy = await rebuild_own(pool, SPEC)
            stop.set()
            accepted.append(await live)
            held_busy.append(busy.held_seconds)
            await pool.execute("DELETE FROM counted_log WHERE thing = 'thing-live'")
            await pool.execute("DELETE FROM counted_totals WHERE thing = 'thing-live'")
            await pool.execute("DELETE FROM events WHERE stream_id = 'thing-live'")
        rate, ratio = statistics.median(rates), statistics.median(ratios)
        return [
            f"own read-model rebuild {rate / 1000:.1f}k ev/s = {ratio:.2f}x the projection's raw "
            f"writes ({rate / ratio / 1000:.1f}k ev/s), {total} events, median of {repeats}",
            f"  appends held back for the swap: {statistics.median(held) * 1000:.0f} ms idle, "
            f"{statistics.median(held_busy) * 1000:.0f} ms with a writer appending throughout "
            f"({statistics.median(accepted):.0f} appends accepted during each rebuild)",
        ]
    finally:
        await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=20_000, help="events in the store")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; medians reported")
    parser.add_argument("--only", default="", help="as kernel_bench's: run if empty or named")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2,000 events, once")
    args, _ = parser.parse_known_args()  # `./chibo bench` hands every benchmark its options
    if args.only and NAME not in args.only.split(","):
        print(f"{NAME}: not run (--only {args.only})")
        return
    if args.quick:
        args.events, args.repeat = 2000, 1
    configure_logging("bench", "WARNING")
    with Stack(services=()) as stack:
        url = create_database(stack.admin_database_url, "own_rebuild_bench")
        upgrade(url)
        print("\n".join(asyncio.run(run(url, args.events, args.repeat))))


if __name__ == "__main__":
    main()
