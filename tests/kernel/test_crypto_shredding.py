"""Crypto-shredding in the event stores: a private event's personal fields are stored under
its data subject's key, read back transparently, and read as erased once the key is
destroyed; the same contract on the in-memory twin and on PostgreSQL."""

from __future__ import annotations

import json
import uuid
from typing import ClassVar

import pytest

from chibo_kernel import DomainEvent, InMemoryEventStore, PostgresEventStore
from chibo_kernel.domain.aggregate import Aggregate
from chibo_kernel.domain.repository import Repository
from chibo_kernel.keyring import SubjectErased
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import IdempotencyKey

from .shredding_support import CARD, CardNoted, Joined, member, noted, registry

Store = InMemoryEventStore | PostgresEventStore


class MemberCard(Aggregate):
    category: ClassVar[str] = "member_private"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.card: str | None = None

    def _apply(self, event: DomainEvent) -> None:
        assert isinstance(event, CardNoted)
        self.card = event.card_number


@pytest.fixture(params=["memory", "postgres"])
def store(request: pytest.FixtureRequest) -> Store:
    if request.param == "memory":
        return InMemoryEventStore()
    pool: LeanPool = request.getfixturevalue("pool")
    return PostgresEventStore(pool)


async def test_personal_fields_load_back_as_they_were_appended(store: Store) -> None:
    who = member()
    stream = f"member_private-{who}"
    await store.append(stream, 0, [noted(who), noted(who, reason=None)])

    loaded = await store.load(stream)

    assert [r.decode(registry) for r in loaded] == [noted(who), noted(who, reason=None)]
    assert loaded[0].erased == frozenset()
    assert loaded[0].metadata["data_subject"] == who
    assert json.loads(loaded[1].data)["reason"] is None  # None stays None, never sealed


async def test_an_aggregate_loads_its_decrypted_history_through_the_repository(
    store: Store,
) -> None:
    who = member()
    await store.append(f"member_private-{who}", 0, [noted(who)])

    card = await Repository(lambda: store, registry).load(MemberCard, who)

    assert (card.version, card.card) == (1, CARD)


async def test_a_keyed_command_reads_its_own_sealed_append(store: Store) -> None:
    who = member()
    stream = f"member_private-{who}"
    async with store.keyed(IdempotencyKey("secretary", uuid.uuid4().hex, "f")):
        await store.append(stream, 0, [noted(who)])
        (own,) = await store.load(stream)  # inside the command's transaction
        assert own.decode(registry) == noted(who)


async def test_a_destroyed_key_makes_the_personal_fields_read_as_erased(store: Store) -> None:
    who, other = member(), member()
    await store.append(f"member_private-{who}", 0, [noted(who)])
    await store.append(f"member_private-{other}", 0, [noted(other)])

    await store.keyring.destroy(who)

    (erased,) = await store.load(f"member_private-{who}")
    event = erased.decode(registry)
    assert isinstance(event, CardNoted)
    personal = event.model_dump(include={"card_number", "born", "reason"})
    assert personal == {"card_number": None, "born": None, "reason": None}
    assert (event.member_id, event.branch) == (who, "VL-TT")  # what is not personal stays
    assert erased.erased == {"card_number", "born", "reason"}
    (kept,) = await store.load(f"member_private-{other}")
    assert kept.decode(registry) == noted(other)  # one person's erasure is theirs alone


async def test_nothing_more_is_stored_about_an_erased_person(store: Store) -> None:
    who = member()
    stream = f"member_private-{who}"
    await store.append(stream, 0, [noted(who)])
    await store.keyring.destroy(who)

    with pytest.raises(SubjectErased) as refused:
        await store.append(stream, 1, [noted(who, card_number="999")])

    assert refused.value.subject == who
    assert "đã bị xóa" in refused.value.message_vi
    assert [r.version for r in await store.load(stream)] == [1]


async def test_destroy_is_idempotent_and_needs_no_key_to_exist(store: Store) -> None:
    who, never_keyed = member(), member()
    await store.append(f"member_private-{who}", 0, [noted(who)])

    first = await store.keyring.destroy(who)
    assert await store.keyring.destroy(who) == first
    await store.keyring.destroy(never_keyed)

    with pytest.raises(SubjectErased):
        await store.append(f"member_private-{never_keyed}", 0, [noted(never_keyed)])
    (still,) = await store.load(f"member_private-{who}")
    assert still.decode(registry).model_dump()["card_number"] is None


async def test_published_events_are_stored_as_they_are_published(store: Store) -> None:
    who = member()
    await store.append(f"member-{who}", 0, [Joined(member_id=who, full_name="Lò Văn Pao")])

    (loaded,) = await store.load(f"member-{who}")

    assert '"Lò Văn Pao"' in loaded.data  # subscribers hold no keys: never ciphertext
    assert "data_subject" not in loaded.metadata
