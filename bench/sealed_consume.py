"""The consumer side of names sealed on the stream: decoding published events whose name is
sealed (`sealed_on_stream`), against the same events in plain, measured in one run.

A real store (PostgreSQL, fsync on) appends `--events` published events, one per person
(each a key of its own: the worst case for key reads), once sealed and once in plain; the
relay's own query and `to_message` turn the rows into the messages a consumer fetches
(headers and bodies exactly as on the stream). Then, median over `--repeat` runs, batches
of 256 as the consumer fetches them:

- sealed: `decode` each message, then `open_sealed` the batch with a keyring whose cache is
  cold at the start of the run (one key read per batch, from the keyring database), each
  name opened (AES-GCM) and the event validated;
- plain: `decode` each message, and `open_sealed` finding nothing to open.

No NATS and no projection: the figure is the decoding a consumer adds per event, which the
kernel benchmark's consumer pair (fetch, gate, one INSERT per batch) then carries.

    .venv/bin/python bench/sealed_consume.py [--events 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import ClassVar

import asyncpg

from chibo_kernel import DomainEvent, EventRegistry, PostgresEventStore, StreamAppend
from chibo_kernel.consumer.received import Incoming, decode
from chibo_kernel.consumer.sealed import open_sealed
from chibo_kernel.db import create_pool
from chibo_kernel.keyring import MasterKey, PostgresKeyring
from chibo_kernel.logging import configure_logging
from chibo_kernel.migrations import upgrade
from chibo_kernel.pool import LeanPool
from chibo_kernel.privacy import IDENTIFIER, PERSONAL
from chibo_kernel.relay.rows import BATCH_SQL, START, to_message
from chibo_tools.embedded import Stack, create_database

BATCH = 256  # the consumers' default fetch
MASTER = MasterKey.generate()


class MemberJoined(DomainEvent):
    event_type: ClassVar[str] = "chibo.benchsealed.member_joined.v1"
    data_subject: ClassVar[str | None] = "member_id"
    sealed_on_stream: ClassVar[bool] = True
    # Marks as defaults, as in kernel_bench.py (profiling resolves no Annotated).
    member_id: str = IDENTIFIER
    full_name: str = PERSONAL
    branch_id: str
    admitted_on: str


class MemberJoinedPlain(MemberJoined):
    event_type: ClassVar[str] = "chibo.benchsealed.member_joined_plain.v1"
    sealed_on_stream: ClassVar[bool] = False


REGISTRY = EventRegistry([MemberJoined, MemberJoinedPlain])
FACTS = {"branch_id": "VL-TT", "admitted_on": "2001-05-19"}


async def fill(pool: LeanPool, model: type[MemberJoined], events: int) -> None:
    store = PostgresEventStore(pool, keyring=PostgresKeyring(pool, MASTER))
    prefix = "s" if model.sealed_on_stream else "p"
    for first in range(0, events, 500):
        appends = [
            StreamAppend(
                f"member-{prefix}{n}",
                0,
                [model(member_id=f"{prefix}{n}", full_name="Lò Văn Pao", **FACTS)],
            )
            for n in range(first, min(first + 500, events))
        ]
        await store.append_batch(appends)


async def messages(url: str) -> dict[bool, list[Incoming]]:
    """Every stored event as the consumer receives it, sealed ones and plain ones apart."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(BATCH_SQL, START.tx, START.position, 1_000_000)
    finally:
        await conn.close()
    found: dict[bool, list[Incoming]] = {True: [], False: []}
    for seq, row in enumerate(rows, 1):
        out = to_message(row, "/bench")
        incoming = Incoming(out.subject, out.headers, out.body, seq, 1, None, None, None)
        found[row["sealed"] is not None].append(incoming)
    return found


async def decode_all(keyring: PostgresKeyring, fetched: list[Incoming]) -> float:
    started = time.perf_counter()
    for first in range(0, len(fetched), BATCH):
        batch = [
            decode(
                subject=m.subject,
                headers=m.headers,
                body=m.body,
                stream_seq=m.stream_seq,
                deliveries=1,
                registry=REGISTRY,
            )
            for m in fetched[first : first + BATCH]
        ]
        opened = await open_sealed(keyring, REGISTRY, batch)
        assert all(m.received is not None for m in opened), "every event decodes"
    return len(fetched) / (time.perf_counter() - started)


async def run(url: str, events: int, repeats: int) -> list[str]:
    pool = await create_pool(url, max_size=4)
    try:
        await fill(pool, MemberJoined, events)
        await fill(pool, MemberJoinedPlain, events)
        fetched = await messages(url)
        sealed, warm, plain = [], [], []
        for _ in range(repeats):
            keyring = PostgresKeyring(pool, MASTER)  # a cold cache, as after a start
            plain.append(await decode_all(keyring, fetched[False]))  # first: it warms up
            sealed.append(await decode_all(keyring, fetched[True]))
            warm.append(await decode_all(keyring, fetched[True]))  # every key cached
    finally:
        await pool.close()
    s, w, p = (statistics.median(rates) for rates in (sealed, warm, plain))
    return [
        f"sealed consume  {s / 1000:.1f}k ev/s = {s / p:.2f}x the same decode in plain "
        f"({p / 1000:.1f}k ev/s): decode + open_sealed, batches of {BATCH}, one person per "
        f"event, cold key cache; {events} events x {repeats} repeats, medians",
        f"                {w / 1000:.1f}k ev/s = {w / p:.2f}x with every key cached "
        "(reference only: the cipher and decode alone)",
        "per repeat (ev/s): sealed " + ", ".join(f"{r:.0f}" for r in sealed),
        "                   warm   " + ", ".join(f"{r:.0f}" for r in warm),
        "                   plain  " + ", ".join(f"{r:.0f}" for r in plain),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=20_000, help="events per side")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; medians reported")
    args = parser.parse_args()
    if args.events < 1 or args.repeat < 1:
        parser.error("--events and --repeat must be at least 1")
    configure_logging("bench", "WARNING")
    with Stack(services=()) as stack:  # in a fresh temp dir, removed again on exit
        url = create_database(stack.admin_database_url, "bench_sealed")
        upgrade(url)
        print("\n".join(asyncio.run(run(url, args.events, args.repeat))))


if __name__ == "__main__":
    main()
