"""A person's events are found without reading the whole store: their own streams by name,
and the sealed rows that name them as data subject, wherever they are filed, through the
partial index `events_data_subject` (kernel migration k0008). Rows of other people in a
shared stream are never handed back."""

from __future__ import annotations

from chibo_chassis.subject_export.events import STREAMS_SQL, events_about, streams_about
from chibo_kernel import PostgresEventStore
from chibo_kernel.pool import LeanPool

from .shredding_support import CARD, member, noted


async def test_a_members_events_come_from_their_own_streams_and_the_rows_naming_them(
    pool: LeanPool,
) -> None:
    store = PostgresEventStore(pool)
    who, neighbour = member(), member()
    shared = f"notes_private-{member()}"
    await store.append(shared, 0, [noted(neighbour), noted(who, card_number="111")])
    await store.append(shared, 2, [noted(neighbour, card_number="222")])
    await store.append(f"member_private-{who}", 0, [noted(who)])
    own = [f"member_private-{who}", f"member_standing_private-{who}"]  # the second: none yet

    streams = await streams_about(pool, who, own)
    assert streams == sorted([(shared, 1), (f"member_private-{who}", 0)])

    found = await events_about(store, who, streams, own)
    assert sorted((e.stream_id, e.version) for e in found) == [
        (f"member_private-{who}", 1),
        (shared, 2),
    ]
    cards = {e.stream_id: e.data for e in found}
    assert "111" in cards[shared]  # opened by the store
    assert CARD in cards[f"member_private-{who}"]
    assert all(e.metadata["data_subject"] == who for e in found)


async def test_the_rows_naming_a_subject_are_found_through_the_index(pool: LeanPool) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")
        plan = await conn.fetch(f"EXPLAIN {STREAMS_SQL}", "someone", ["member-someone"])
    lines = "\n".join(row[0] for row in plan)
    assert "events_data_subject" in lines
