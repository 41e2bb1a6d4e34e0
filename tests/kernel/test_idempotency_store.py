"""Idempotency keys in the event store, on the in-memory twin and on real PostgreSQL: the
answer commits with the events, a repeat finds it, a lost race leaves nothing behind."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from chibo_kernel import InMemoryEventStore, PostgresEventStore
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import Answer, IdempotencyKey, expire_periodically

from .support import event_models, eventually, new_service

SERVICE = new_service()
Happened, Renamed, registry = event_models(SERVICE)

Store = InMemoryEventStore | PostgresEventStore


def make_store(request: pytest.FixtureRequest, window: timedelta) -> Store:
    if request.param == "memory":
        return InMemoryEventStore(idempotency_window=window)
    pool: LeanPool = request.getfixturevalue("pool")
    return PostgresEventStore(pool, idempotency_window=window)


@pytest.fixture(params=["memory", "postgres"])
def store(request: pytest.FixtureRequest) -> Store:
    return make_store(request, timedelta(hours=24))


@pytest.fixture(params=["memory", "postgres"])
def forgetful_store(request: pytest.FixtureRequest) -> Store:
    """Keys expire as soon as they are recorded."""
    return make_store(request, timedelta(0))


def key(fingerprint: str = "f1", principal: str = "secretary-1") -> IdempotencyKey:
    return IdempotencyKey(principal, uuid.uuid4().hex, fingerprint)


def answer(body: bytes, fingerprint: str = "f1") -> Answer:
    return Answer(201, body, "application/json", fingerprint)


async def test_a_settled_command_keeps_its_events_and_its_answer(store: Store) -> None:
    stream, k = f"thing-{uuid.uuid4().hex}", key()
    async with store.keyed(k) as command:
        await store.append(stream, 0, [Happened(n=1)])
        assert [e.version for e in await store.load(stream)] == [1]  # its own write, seen
        held = await command.settle(answer(b'{"n":1}'))

    assert held == answer(b'{"n":1}')
    assert await store.recorded_answer(k.principal, k.key) == answer(b'{"n":1}')
    assert [e.version for e in await store.load(stream)] == [1]


async def test_a_command_left_unsettled_stores_neither_events_nor_key(store: Store) -> None:
    stream, k = f"thing-{uuid.uuid4().hex}", key()

    async def route_failing_after_its_append() -> None:
        async with store.keyed(k):
            await store.append(stream, 0, [Happened(n=1), Renamed(name="Võ Lao")])
            raise RuntimeError("the route failed after the append")

    with pytest.raises(RuntimeError):
        await route_failing_after_its_append()

    assert await store.load(stream) == []
    assert await store.recorded_answer(k.principal, k.key) is None


async def test_the_second_of_two_racing_commands_with_one_key_is_rolled_back(
    store: Store,
) -> None:
    first_stream, second_stream, k = (
        f"thing-{uuid.uuid4().hex}",
        f"thing-{uuid.uuid4().hex}",
        key(),
    )
    second_appended = asyncio.Event()

    async def second() -> Answer:
        async with store.keyed(k) as command:
            await store.append(second_stream, 0, [Happened(n=2)])
            second_appended.set()
            await first_settled.wait()
            return await command.settle(answer(b"second"))

    first_settled = asyncio.Event()
    racing = asyncio.create_task(second())
    await second_appended.wait()
    async with store.keyed(k) as command:
        await store.append(first_stream, 0, [Happened(n=1)])
        assert await command.settle(answer(b"first")) == answer(b"first")
    first_settled.set()

    assert await racing == answer(b"first")
    assert await store.load(second_stream) == []
    assert [e.version for e in await store.load(first_stream)] == [1]


async def test_keys_belong_to_their_principal(store: Store) -> None:
    k = key(principal="secretary-1")
    async with store.keyed(k) as command:
        await command.settle(answer(b"mine"))

    assert await store.recorded_answer("secretary-2", k.key) is None
    assert await store.recorded_answer("secretary-1", k.key) == answer(b"mine")


async def test_a_command_that_appended_nothing_still_keeps_its_answer(store: Store) -> None:
    k = key()
    async with store.keyed(k) as command:
        await command.settle(answer(b"{}"))

    assert await store.recorded_answer(k.principal, k.key) == answer(b"{}")


async def test_an_append_outside_the_keyed_task_is_not_part_of_the_command(store: Store) -> None:
    """A job started by the request inherits its context but commits on its own."""
    stream, k = f"thing-{uuid.uuid4().hex}", key()
    async with store.keyed(k):
        await asyncio.create_task(store.append(stream, 0, [Happened(n=1)]))
        # leaves without settling: the request's own writes are undone, not the job's

    assert [e.version for e in await store.load(stream)] == [1]


async def test_expired_keys_are_forgotten_and_deleted(forgetful_store: Store) -> None:
    store, k = forgetful_store, key()
    async with store.keyed(k) as command:
        await command.settle(answer(b"old"))

    assert await store.recorded_answer(k.principal, k.key) is None
    assert await store.expire() >= 1
    async with store.keyed(k) as command:  # the key may be used again
        assert await command.settle(answer(b"new")) == answer(b"new")


async def test_the_periodic_expiry_deletes_every_expired_key_in_batches(pool: LeanPool) -> None:
    store = PostgresEventStore(pool, idempotency_window=timedelta(0))
    for _ in range(5):
        async with store.keyed(key()) as command:
            await command.settle(answer(b"{}"))
    stop = asyncio.Event()
    expiring = asyncio.create_task(expire_periodically(store, stop, every_seconds=0.05))

    async def none_left() -> bool:
        left: int = await pool.fetchval("SELECT count(*) FROM idempotency_keys")
        return left == 0

    try:
        await eventually(none_left, timeout=10, what="the expired keys to be deleted")
    finally:
        stop.set()
        await expiring
    assert expiring.done()
