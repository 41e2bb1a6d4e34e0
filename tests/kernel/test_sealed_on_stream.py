"""A published event that sets `sealed_on_stream`: its personal fields travel on the stream
as envelopes, and a consumer of another service (another database, the province's one
keyring) opens them as it decodes; erased, they decode as None; a consumer that cannot
find the key parks the message with the reason, and applies it once replayed with it."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator

import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS

from chibo_kernel import EventConsumer
from chibo_kernel.db import create_pool
from chibo_kernel.envelope import SEALED_HEADER, SUBJECT_HEADER, Envelope, binary_headers
from chibo_kernel.errors import MalformedMessage
from chibo_kernel.keyring import PREFIX, PostgresKeyring
from chibo_kernel.keyring.schema import ensure_keyring_table
from chibo_kernel.migrations import upgrade_async
from chibo_kernel.pool import LeanPool
from chibo_tools.embedded import create_database

from .sealed_stream_support import (
    MASTER,
    NAME,
    USER_TYPED,
    Province,
    member,
)
from .support import eventually, read_stream


@pytest.fixture
async def keys_pool(pg_admin_url: str) -> AsyncIterator[LeanPool]:
    url = create_database(pg_admin_url, f"keys_{uuid.uuid4().hex[:12]}")
    await ensure_keyring_table(url)
    await ensure_keyring_table(url)  # a second service's migrate step changes nothing
    pool = await create_pool(url, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture
async def consumer_pool(pg_admin_url: str) -> AsyncIterator[LeanPool]:
    url = create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")
    await upgrade_async(url)
    pool = await create_pool(url, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture
async def province(
    kernel_db: str,
    pool: LeanPool,
    consumer_pool: LeanPool,
    keys_pool: LeanPool,
    broker: NatsBroker,
    nc: NATS,
) -> Province:
    return await Province(kernel_db, pool, consumer_pool, keys_pool, broker, nc).start()


async def consume_until_settled(consumer: EventConsumer, province: Province) -> None:
    await consumer.ensure_consumer()
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    js = province.nc.jetstream()

    async def settled() -> bool:
        info = await js.consumer_info(province.stream.name, consumer.spec.name)
        return bool(info.delivered.stream_seq > 0 and info.num_pending == 0)

    async def acked() -> bool:
        info = await js.consumer_info(province.stream.name, consumer.spec.name)
        return bool(info.num_ack_pending == 0)

    try:
        await eventually(settled, timeout=20, what="the consumer to fetch everything")
        await eventually(acked, timeout=20, what="the consumer to settle everything")
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_a_sealed_event_travels_as_envelopes_and_another_service_reads_the_name(
    province: Province,
) -> None:
    who = member()
    await province.store.append(
        f"member-{who}", 0, [province.Joined(member_id=who, full_name=NAME)]
    )
    await province.publish()

    (message,) = await read_stream(province.nc.jetstream(), province.stream.name)
    body = json.loads(message.data)
    assert body["full_name"].startswith(PREFIX)
    assert NAME.encode() not in message.data
    assert body["member_id"] == who  # identifiers stay readable: consumers join on them
    headers = message.headers or {}
    assert (headers[SUBJECT_HEADER], headers[SEALED_HEADER]) == (who, "full_name")

    consumer = province.consumer(f"seen-{who}", province.consumer_keyring())
    await consume_until_settled(consumer, province)

    seen = await province.seen(who)
    assert seen is not None
    assert seen["full_name"] == NAME
    assert await consumer.parked() == []


async def test_after_the_key_is_destroyed_a_consumer_decodes_the_name_as_none(
    province: Province,
) -> None:
    who = member()
    await province.store.append(
        f"member-{who}", 0, [province.Joined(member_id=who, full_name=NAME)]
    )
    await province.publish()

    await province.keyring.destroy(who)  # the publisher erases; the consumer shares the table
    consumer = province.consumer(f"erased-{who}", province.consumer_keyring())
    await consume_until_settled(consumer, province)

    seen = await province.seen(who)
    assert seen is not None
    assert seen["full_name"] is None
    assert seen["note"] == ""  # the rest of the event decodes as it was


async def test_a_consumer_without_the_key_parks_the_message_saying_why_then_replays_it(
    province: Province,
) -> None:
    who = member()
    await province.store.append(
        f"member-{who}", 0, [province.Joined(member_id=who, full_name=NAME)]
    )
    await province.publish()
    name = f"apart-{who}"
    # Its keyring is its own database's: the publisher's key is not there.
    apart = PostgresKeyring(province.consumer_pool, MASTER)
    await consume_until_settled(province.consumer(name, apart), province)

    (parked,) = await province.consumer(name, apart).parked()
    assert parked.reason == "unreadable"
    assert f"no data key of {who}" in parked.error
    assert "CHIBO_KEYRING_DATABASE_URL" in parked.error
    assert await province.seen(who) is None

    shared = province.consumer(name, province.consumer_keyring())
    report = await shared.replay_parked()

    assert report.applied == 1
    seen = await province.seen(who)
    assert seen is not None
    assert seen["full_name"] == NAME


async def test_a_user_typed_envelope_in_an_unmarked_field_reaches_the_consumer_unchanged(
    province: Province,
) -> None:
    who = member()
    joined = province.Joined(
        member_id=who, full_name=NAME, note=USER_TYPED, extra={"full_name": USER_TYPED}
    )
    await province.store.append(f"member-{who}", 0, [joined])
    await province.publish()

    (loaded,) = await province.store.load(f"member-{who}")
    assert loaded.decode(province.registry) == joined
    consumer = province.consumer(f"typed-{who}", province.consumer_keyring())
    await consume_until_settled(consumer, province)

    seen = await province.seen(who)
    assert seen is not None
    assert (seen["full_name"], seen["note"]) == (NAME, USER_TYPED)


def headers_of(**extra: str) -> dict[str, str]:
    headers = binary_headers(
        event_id=str(uuid.uuid4()),
        source="/test",
        event_type="chibo.test.member_joined.v1",
        time="2025-01-01T00:00:00+00:00",
        subject="member-m-1",
        stream_version="1",
        correlation_id="c-1",
        causation_id=None,
    )
    return headers | extra


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({SEALED_HEADER: "full_name"}, f"header {SUBJECT_HEADER} is missing"),
        ({SEALED_HEADER: "full_name,", SUBJECT_HEADER: "m-1"}, "not a list of field names"),
        ({SEALED_HEADER: "Full Name", SUBJECT_HEADER: "m-1"}, "not a list of field names"),
        ({SEALED_HEADER: "full_name", SUBJECT_HEADER: "m" * 201}, "longer than 200"),
    ],
)
def test_a_message_whose_sealing_headers_do_not_hold_is_malformed(
    extra: dict[str, str], why: str
) -> None:
    with pytest.raises(MalformedMessage, match=why):
        Envelope.from_nats(headers_of(**extra), b"{}")


def test_the_sealing_headers_name_the_subject_and_the_fields() -> None:
    extra = {SEALED_HEADER: "full_name,birth_date", SUBJECT_HEADER: "m-1"}
    envelope = Envelope.from_nats(headers_of(**extra), b"{}")

    assert (envelope.data_subject, envelope.sealed) == ("m-1", ("full_name", "birth_date"))
    assert envelope.to_headers()[SEALED_HEADER] == "full_name,birth_date"
    assert SEALED_HEADER not in Envelope.from_nats(headers_of(), b"{}").to_headers()
