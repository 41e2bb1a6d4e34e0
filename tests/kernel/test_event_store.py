"""The event store contract, run against the in-memory twin and the real Postgres store."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import ClassVar

import asyncpg
import pytest

from chibo_kernel import (
    ConcurrencyError,
    DomainEvent,
    InMemoryEventStore,
    KernelMetrics,
    PostgresEventStore,
    StreamAppend,
    traced,
)
from chibo_kernel.db import create_pool
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import DuplicateEventId, EventStore

from .support import event_models, eventually, new_service

SERVICE = new_service()
Happened, Renamed, registry = event_models(SERVICE)


class Noted(DomainEvent):
    event_type: ClassVar[str] = f"chibo.{SERVICE}.identity_noted.v1"
    published: ClassVar[bool] = False
    card_number: str


@pytest.fixture(params=["memory", "postgres"])
def store(request: pytest.FixtureRequest) -> EventStore:
    if request.param == "memory":
        return InMemoryEventStore()
    pool: LeanPool = request.getfixturevalue("pool")
    return PostgresEventStore(pool)


def thing() -> str:
    return f"thing-{uuid.uuid4().hex}"


async def test_appended_events_load_back_in_version_order(store: EventStore) -> None:
    stream = thing()
    with traced(correlation_id="corr-1"):
        assert await store.append(stream, 0, [Happened(n=1), Happened(n=2)]) == 2
        assert await store.append(stream, 2, [Renamed(name="Võ Lao")], org_path=["p1", "b7"]) == 3

    loaded = await store.load(stream)

    assert [e.version for e in loaded] == [1, 2, 3]
    assert [e.decode(registry) for e in loaded] == [
        Happened(n=1),
        Happened(n=2),
        Renamed(name="Võ Lao"),
    ]
    assert loaded[2].metadata == {"correlation_id": "corr-1", "org_path": ["p1", "b7"]}
    assert [e.version for e in await store.load(stream, after_version=2)] == [3]


async def test_stale_expected_version_is_a_conflict_and_changes_nothing(store: EventStore) -> None:
    stream = thing()
    await store.append(stream, 0, [Happened(n=1)])

    with pytest.raises(ConcurrencyError) as caught:
        await store.append(stream, 0, [Happened(n=99)])

    assert caught.value.stream_id == stream
    assert caught.value.expected == 0
    assert caught.value.actual == 1
    assert "phiên bản" in caught.value.message_vi
    assert [e.decode(registry) for e in await store.load(stream)] == [Happened(n=1)]


async def test_expected_version_ahead_of_the_stream_is_a_conflict(store: EventStore) -> None:
    stream = thing()
    with pytest.raises(ConcurrencyError):
        await store.append(stream, 3, [Happened(n=1)])
    assert await store.load(stream) == []


async def test_batch_append_is_all_or_nothing(store: EventStore) -> None:
    a, b = thing(), thing()
    await store.append(b, 0, [Happened(n=1)])

    with pytest.raises(ConcurrencyError):
        await store.append_batch(
            [StreamAppend(a, 0, [Happened(n=1)]), StreamAppend(b, 0, [Happened(n=2)])]
        )
    assert await store.load(a) == []

    versions = await store.append_batch(
        [StreamAppend(a, 0, [Happened(n=1), Happened(n=2)]), StreamAppend(b, 1, [Happened(n=3)])]
    )
    assert versions == [2, 2]
    assert [e.version for e in await store.load(b)] == [1, 2]


@pytest.mark.parametrize(
    ("stream_id", "org_path", "expected_version", "events"),
    [
        ("no category", (), 0, [Happened(n=1)]),
        ("thing-1", ("has space",), 0, [Happened(n=1)]),
        ("thing-1", ("a.b",), 0, [Happened(n=1)]),
        ("thing-1", (), -1, [Happened(n=1)]),
        ("thing-1", (), 0, []),
    ],
)
async def test_bad_appends_are_refused_before_any_write(
    store: EventStore,
    stream_id: str,
    org_path: tuple[str, ...],
    expected_version: int,
    events: list[Happened],  # type: ignore[valid-type]
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        await store.append(stream_id, expected_version, events, org_path=org_path)
    assert await store.load("thing-1") == []


async def test_private_events_are_stored_in_private_streams(store: EventStore) -> None:
    stream = f"thing_private-{uuid.uuid4().hex}"
    assert await store.append(stream, 0, [Noted(card_number="0123456")]) == 1
    (loaded,) = await store.load(stream)
    assert loaded.metadata["private"] is True


@pytest.mark.parametrize(
    ("stream_id", "events", "refusal"),
    [
        ("thing-1", [Happened(n=1), Noted(card_number="1")], "is private"),
        ("thing_private-1", [Happened(n=1)], "is published"),
        ("thing_private-1", [Noted(card_number="1"), Happened(n=2)], "is published"),
    ],
)
async def test_private_and_published_events_never_share_a_stream(
    store: EventStore, stream_id: str, events: list[DomainEvent], refusal: str
) -> None:
    """The relay skips private events: beside published ones they would leave version gaps
    that consumers, applying N only after N-1, wait on for ever."""
    fine = thing()
    with pytest.raises(ValueError, match=refusal) as refused:
        await store.append_batch(
            [StreamAppend(fine, 0, [Happened(n=1)]), StreamAppend(stream_id, 0, events)]
        )
    assert "gap-free" in str(refused.value)
    assert await store.load(fine) == []  # the whole batch was refused
    assert await store.load(stream_id) == []


async def test_an_event_id_is_stored_once(store: EventStore) -> None:
    event_id = uuid.uuid4()
    await store.append_batch([StreamAppend(thing(), 0, [Happened(n=1)], event_ids=[event_id])])
    with pytest.raises(DuplicateEventId):
        await store.append_batch([StreamAppend(thing(), 0, [Happened(n=1)], event_ids=[event_id])])


async def test_two_real_concurrent_writers_exactly_one_wins(kernel_db: str) -> None:
    """Two processes' worth of connections race on one stream, many times over."""
    metrics = KernelMetrics()
    conns = [await asyncpg.connect(kernel_db) for _ in range(2)]
    pools = [await create_pool(kernel_db, max_size=1) for _ in conns]
    stores = [PostgresEventStore(p, metrics) for p in pools]
    try:
        for _ in range(25):
            stream = thing()
            # An uncommitted version 1 makes both writers wait on the primary key, so they
            # are provably in flight together when it goes away.
            blocker = conns[0]
            tx = blocker.transaction()
            await tx.start()
            await blocker.execute(
                "INSERT INTO events (stream_id, version, event_id, event_type, data, metadata)"
                " VALUES ($1, 1, $2, 'x', '{}', '{}')",
                stream,
                uuid.uuid4(),
            )
            racers = [
                asyncio.ensure_future(s.append(stream, 0, [Happened(n=i)]))
                for i, s in enumerate(stores)
            ]

            async def both_waiting(blocker: asyncpg.Connection = blocker) -> bool:
                waiting = await blocker.fetchval(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted"
                )
                return bool(waiting == 2)

            await eventually(both_waiting, timeout=10, what="both writers to wait on the stream")
            await tx.rollback()
            results = await asyncio.gather(*racers, return_exceptions=True)

            winners = [r for r in results if r == 1]
            losers = [r for r in results if isinstance(r, ConcurrencyError)]
            assert (len(winners), len(losers)) == (1, 1), results
            assert len(await stores[0].load(stream)) == 1
        assert metrics.append_conflicts._value.get() == 25
    finally:
        for c in conns:
            await c.close()
        for p in pools:
            await p.close()


async def test_an_inline_projection_commits_with_the_events_or_not_at_all(
    store: EventStore,
) -> None:
    seen: list[str] = []

    async def project(conn: object, appends: Sequence[StreamAppend]) -> None:
        seen.extend(a.stream_id for a in appends)
        if conn is not None:
            await conn.execute("CREATE TABLE IF NOT EXISTS projected (stream_id text)")  # type: ignore[attr-defined]
            await conn.execute("INSERT INTO projected VALUES ($1)", appends[0].stream_id)  # type: ignore[attr-defined]
        if appends[0].stream_id.endswith("-fails"):
            raise RuntimeError("the read model refused")

    ok, fails = thing(), thing() + "-fails"
    await store.append_batch([StreamAppend(ok, 0, [Happened(n=1)])], project=project)
    with pytest.raises(RuntimeError):
        await store.append_batch([StreamAppend(fails, 0, [Happened(n=1)])], project=project)

    assert seen == [ok, fails]
    assert len(await store.load(ok)) == 1
    assert await store.load(fails) == []  # the failed projection took the events with it
