"""Crypto-shredding as PostgreSQL holds it: what the rows contain, the table of data keys,
several keyrings on one database, and the failures that must be loud, never garbage."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from chibo_kernel import PostgresEventStore, StreamAppend
from chibo_kernel.errors import ConfigurationError
from chibo_kernel.keyring import (
    KeyCache,
    MasterKey,
    MissingDataKey,
    PostgresKeyring,
    UnreadableField,
    WrongMasterKey,
)
from chibo_kernel.pool import LeanPool
from chibo_kernel.read_models import OwnReadModels, rebuild_own
from chibo_kernel.store import per_event

from .shredding_support import BORN, CARD, REASON, CardNoted, Joined, member, noted, registry
from .support import eventually

PLAIN = (CARD, REASON, BORN.isoformat(), json.dumps(REASON)[1:-1])  # escaped too


async def raw_rows(pool: LeanPool, who: str) -> list[str]:
    rows = await pool.fetch(
        "SELECT data::text || metadata::text AS row FROM events WHERE stream_id = $1",
        f"member_private-{who}",
    )
    return [r["row"] for r in rows]


def keyring(pool: LeanPool, master: MasterKey, ttl: float = 20.0) -> PostgresKeyring:
    return PostgresKeyring(pool, master, KeyCache(ttl_seconds=ttl))


async def test_the_stored_row_holds_no_personal_value_in_plain(pool: LeanPool) -> None:
    who = member()
    await PostgresEventStore(pool).append(f"member_private-{who}", 0, [noted(who), noted(who)])

    first, second = await raw_rows(pool, who)

    for row in (first, second):
        assert not [value for value in PLAIN if value in row], row
        assert who in row  # the identifier stays readable: consumers join on it
    card_of = [json.loads(row.split("}{")[0] + "}")["card_number"] for row in (first, second)]
    assert card_of[0].startswith("enc:v1:")
    assert card_of[0] != card_of[1]  # a nonce each


async def test_a_destroyed_key_leaves_a_row_on_record_and_the_events_unreadable(
    pool: LeanPool,
) -> None:
    who = member()
    store = PostgresEventStore(pool)
    await store.append(f"member_private-{who}", 0, [noted(who)])
    before = await raw_rows(pool, who)

    await store.keyring.destroy(who)

    key = await pool.fetchrow("SELECT * FROM data_keys WHERE subject_id = $1", who)
    assert key["wrapped_key"] is None
    assert key["destroyed_at"] is not None
    assert key["master_key_id"] == store.keyring.master.id
    assert await raw_rows(pool, who) == before  # the events are never rewritten
    fresh = PostgresEventStore(pool, keyring=keyring(pool, store.keyring.master))
    (erased,) = await fresh.load(f"member_private-{who}")
    assert erased.erased == {"card_number", "born", "reason"}


async def test_rows_written_before_encryption_still_load(pool: LeanPool) -> None:
    who = member()
    legacy = noted(who).model_dump_json()
    for version, metadata in enumerate(({"private": True}, {"private": True, "x": 1}), 1):
        await pool.execute(
            "INSERT INTO events (stream_id, version, event_id, event_type, data, metadata) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            f"member_private-{who}",
            version,
            uuid.uuid4(),
            CardNoted.event_type,
            legacy,
            json.dumps(metadata),
        )
    store = PostgresEventStore(pool)
    await store.append(f"member_private-{who}", 2, [noted(who, card_number="42")])

    loaded = await store.load(f"member_private-{who}")

    assert [r.decode(registry) for r in loaded] == [
        noted(who),
        noted(who),
        noted(who, card_number="42"),
    ]


async def test_a_wrong_master_key_fails_loudly_naming_both_keys(pool: LeanPool) -> None:
    who = member()
    right = PostgresEventStore(pool)
    await right.append(f"member_private-{who}", 0, [noted(who)])
    wrong_key = MasterKey.generate()
    wrong = PostgresEventStore(pool, keyring=keyring(pool, wrong_key))

    with pytest.raises(WrongMasterKey) as loading:
        await wrong.load(f"member_private-{who}")
    with pytest.raises(WrongMasterKey):
        await wrong.append(f"member_private-{who}", 1, [noted(who)])

    assert right.keyring.master.id in loading.value.message_en
    assert wrong_key.id in loading.value.message_en
    assert "khóa chủ" in loading.value.message_vi
    assert len(await right.load(f"member_private-{who}")) == 1  # nothing was appended


async def test_an_altered_key_row_or_value_is_refused_not_read_as_garbage(
    pool: LeanPool,
) -> None:
    who, other = member(), member()
    store = PostgresEventStore(pool)
    await store.append(f"member_private-{who}", 0, [noted(who)])
    await store.append(f"member_private-{other}", 0, [noted(other)])
    master = store.keyring.master
    # another person's wrapped key copied onto this one: bound to its subject, it won't open
    await pool.execute(
        "UPDATE data_keys SET wrapped_key = (SELECT wrapped_key FROM data_keys "
        "WHERE subject_id = $2) WHERE subject_id = $1",
        who,
        other,
    )
    # one field's ciphertext moved into another field: bound to its field, it won't open
    await pool.execute(
        "UPDATE events SET data = jsonb_set(data, '{reason}', data->'card_number') "
        "WHERE stream_id = $1",
        f"member_private-{other}",
    )

    with pytest.raises(WrongMasterKey, match="altered"):
        await PostgresEventStore(pool, keyring=keyring(pool, master)).load(f"member_private-{who}")
    with pytest.raises(UnreadableField, match="reason"):
        await PostgresEventStore(pool, keyring=keyring(pool, master)).load(
            f"member_private-{other}"
        )


async def test_encrypted_events_without_their_key_row_are_refused(pool: LeanPool) -> None:
    who = member()
    store = PostgresEventStore(pool)
    await store.append(f"member_private-{who}", 0, [noted(who)])
    await pool.execute("DELETE FROM data_keys WHERE subject_id = $1", who)

    with pytest.raises(MissingDataKey, match=who):
        await PostgresEventStore(pool, keyring=keyring(pool, store.keyring.master)).load(
            f"member_private-{who}"
        )


async def test_two_keyrings_on_one_database_agree(pool: LeanPool) -> None:
    master = MasterKey.generate()
    one = PostgresEventStore(pool, keyring=keyring(pool, master))
    two = PostgresEventStore(pool, keyring=keyring(pool, master, ttl=0.2))
    who = member()
    # Both make a key for the same new person at once: one row wins, both use it.
    await asyncio.gather(
        one.append(f"member_private-{who}", 0, [noted(who)]),
        two.append(f"identity_private-{who}", 0, [noted(who, card_number="2")]),
    )

    assert [r.decode(registry) for r in await two.load(f"member_private-{who}")] == [noted(who)]
    (theirs,) = await one.load(f"identity_private-{who}")
    assert theirs.decode(registry) == noted(who, card_number="2")

    await one.keyring.destroy(who)

    async def erased_in_two() -> bool:
        (row,) = await two.load(f"member_private-{who}")
        return bool(row.erased)

    await eventually(erased_in_two, timeout=10, what="the other instance to see the erasure")


async def test_without_a_master_key_private_events_are_refused_and_published_ones_stored(
    pool: LeanPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHIBO_MASTER_KEY")
    store, who = PostgresEventStore(pool), member()

    await store.append(f"member-{who}", 0, [Joined(member_id=who, full_name="Lò Thị Dung")])
    with pytest.raises(ConfigurationError, match="CHIBO_MASTER_KEY: not set"):
        await store.append(f"member_private-{who}", 0, [noted(who)])


async def test_an_own_read_model_rebuild_replays_decrypted_and_erased_values(
    pool: LeanPool,
) -> None:
    await pool.execute("CREATE TABLE cards (member_id text PRIMARY KEY, card_number text)")

    async def apply(conn: object, event: object) -> None:
        assert isinstance(event, CardNoted)
        await conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO cards VALUES ($1, $2) ON CONFLICT (member_id) "
            "DO UPDATE SET card_number = excluded.card_number",
            event.member_id,
            event.card_number,
        )

    project = per_event(apply)
    store, kept, erased = PostgresEventStore(pool), member(), member()
    for who in (kept, erased):
        await store.append_batch(
            [StreamAppend(f"member_private-{who}", 0, [noted(who)])], project=project
        )
    await store.keyring.destroy(erased)

    spec = OwnReadModels("cards", 2, ("cards",), project, registry)
    await rebuild_own(pool, spec, keyring=keyring(pool, store.keyring.master))

    rows = await pool.fetch("SELECT member_id, card_number FROM cards ORDER BY member_id")
    assert {r["member_id"]: r["card_number"] for r in rows} == {kept: CARD, erased: None}
