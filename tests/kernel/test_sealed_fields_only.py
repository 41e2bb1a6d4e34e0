"""Loading opens the fields that were sealed and no other: a row names them in its metadata,
so a value someone typed that merely starts with "enc:v1:" loads as typed; rows sealed
before the names were recorded load as they always did."""

from __future__ import annotations

import json

import pytest

from chibo_kernel import InMemoryEventStore, PostgresEventStore
from chibo_kernel.pool import LeanPool

from .shredding_support import CARD, CardNoted, member, noted, registry

USER_TYPED = "enc:v1:abc"
Store = InMemoryEventStore | PostgresEventStore


@pytest.fixture(params=["memory", "postgres"])
def store(request: pytest.FixtureRequest) -> Store:
    if request.param == "memory":
        return InMemoryEventStore()
    pool: LeanPool = request.getfixturevalue("pool")
    return PostgresEventStore(pool)


async def test_an_unmarked_field_holding_a_user_typed_envelope_loads_unchanged(
    store: Store,
) -> None:
    who = member()
    stream = f"member_private-{who}"
    typed = noted(who, branch=USER_TYPED)
    await store.append(stream, 0, [typed])

    (loaded,) = await store.load(stream)

    assert loaded.decode(registry) == typed
    assert loaded.metadata["sealed"] == ["card_number", "born", "reason"]


async def test_only_the_fields_with_a_value_are_listed_as_sealed(store: Store) -> None:
    who = member()
    stream = f"member_private-{who}"
    await store.append(stream, 0, [noted(who, reason=None)])

    (loaded,) = await store.load(stream)

    assert loaded.metadata["sealed"] == ["card_number", "born"]
    assert loaded.decode(registry) == noted(who, reason=None)


async def test_a_row_sealed_before_the_names_were_recorded_loads_as_before(
    pool: LeanPool,
) -> None:
    store = PostgresEventStore(pool)
    who = member()
    stream = f"member_private-{who}"
    await store.append(stream, 0, [noted(who)])
    await pool.execute(
        "UPDATE events SET metadata = metadata - 'sealed' WHERE stream_id = $1", stream
    )

    (loaded,) = await store.load(stream)

    assert "sealed" not in loaded.metadata
    assert loaded.decode(registry) == noted(who)
    stored = await pool.fetchval("SELECT data::text FROM events WHERE stream_id = $1", stream)
    assert CARD not in stored  # still sealed in the table: only the load opened it


async def test_an_erased_subjects_listed_fields_load_as_none_and_the_typed_one_as_typed(
    pool: LeanPool,
) -> None:
    store = PostgresEventStore(pool)
    who = member()
    stream = f"member_private-{who}"
    await store.append(stream, 0, [noted(who, branch=USER_TYPED)])
    await store.keyring.destroy(who)

    (loaded,) = await store.load(stream)

    assert loaded.erased == frozenset({"card_number", "born", "reason"})
    event = loaded.decode(registry)
    assert isinstance(event, CardNoted)
    # Typed `str` and `date`, yet None: erased fields decode as None whatever their type.
    values: tuple[object, ...] = (event.card_number, event.born, event.branch)
    assert values == (None, None, USER_TYPED)
    assert json.loads(loaded.data)["branch"] == USER_TYPED
