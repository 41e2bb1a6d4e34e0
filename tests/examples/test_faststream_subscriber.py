"""examples/faststream_subscriber.py, on FastStream's in-memory broker and on a real NATS: what
another system's store gets from the events it is sent, how each message is settled, and
what the Prometheus middleware counted."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from faststream_subscriber import ChiboEvent, MemoryStore

from .conftest import ORG_PATH, Backend, Start, processed

BODY = json.dumps({"member_id": "m-1", "branch_id": "VL-TT"}).encode()


def envelope(
    backend: Backend, aggregate: str = "member-1", version: int = 1, event_id: str = ""
) -> dict[str, str]:
    """The headers the relay sends, without `Nats-Msg-Id`: JetStream keeps a second copy of
    the same event, as a redelivery would bring it again."""
    event_id = event_id or str(uuid.uuid4())
    return {
        "ce-specversion": "1.0",
        "ce-id": event_id,
        "ce-source": f"/chibo/{backend.settings.service}",
        "ce-type": backend.event_type(),
        "ce-time": "2025-03-05T19:30:00.123456+07:00",
        "ce-subject": aggregate,
        "ce-datacontenttype": "application/json",
        "ce-streamversion": str(version),
        "ce-correlationid": event_id,
    }


def versions(store: MemoryStore) -> list[tuple[str, int]]:
    return [(e.subject, e.streamversion) for e in store.applied]


async def test_a_new_event_is_applied_once_with_its_attributes_decoded(start: Start) -> None:
    store = MemoryStore()
    backend = await start(store)
    headers = envelope(backend, "member-7", 3)
    await backend.send(BODY, headers)
    await backend.handled(1)

    [event] = store.applied
    assert str(event.id) == headers["ce-id"]
    assert (event.type, event.subject, event.streamversion) == (
        backend.event_type(),
        "member-7",
        3,
    )
    assert event.time.isoformat() == headers["ce-time"]
    assert event.data == {"member_id": "m-1", "branch_id": "VL-TT"}
    assert processed(backend.registry, "acked") == 1
    assert processed(backend.registry) == 1


async def test_the_same_ce_id_again_is_acked_and_not_applied_again(start: Start) -> None:
    store = MemoryStore()
    backend = await start(store)
    headers = envelope(backend)
    await backend.send(BODY, headers)
    await backend.send(BODY, headers)
    await backend.handled(2)

    assert [str(e.id) for e in store.applied] == [headers["ce-id"]]
    assert processed(backend.registry, "acked") == 2  # settled: it never comes a third time


async def test_a_version_at_or_below_the_last_applied_is_a_repeat_for_that_aggregate_only(
    start: Start,
) -> None:
    store = MemoryStore()
    backend = await start(store)
    for aggregate, version in [("member-1", 1), ("member-1", 2), ("member-1", 2), ("member-1", 1)]:
        await backend.send(BODY, envelope(backend, aggregate, version))  # a new ce-id each
    await backend.send(BODY, envelope(backend, "member-2", 1))  # another aggregate: its own order
    await backend.handled(5)

    assert versions(store) == [("member-1", 1), ("member-1", 2), ("member-2", 1)]
    assert processed(backend.registry, "acked") == 5


async def test_a_gap_in_an_aggregates_versions_is_applied_not_waited_for(start: Start) -> None:
    # Under a subtree filter the aggregate's other events (of units outside it) never come.
    store = MemoryStore()
    backend = await start(store)
    await backend.send(BODY, envelope(backend, "plan-VL-TT-2026", 1))
    await backend.send(BODY, envelope(backend, "plan-VL-TT-2026", 4))
    await backend.handled(2)

    assert versions(store) == [("plan-VL-TT-2026", 1), ("plan-VL-TT-2026", 4)]


async def test_a_message_without_a_readable_envelope_is_rejected_and_not_applied(
    start: Start,
) -> None:
    store = MemoryStore()
    backend = await start(store)
    good = envelope(backend)
    broken: list[tuple[str, dict[str, str], bytes]] = [
        *(
            (f"no {name}", {k: v for k, v in good.items() if k != name}, BODY)
            for name in ("ce-id", "ce-type", "ce-subject", "ce-streamversion", "ce-time")
        ),
        ("CloudEvents 0.3", {**good, "ce-specversion": "0.3"}, BODY),
        ("a version of 0", {**good, "ce-streamversion": "0"}, BODY),
        ("a version that is no number", {**good, "ce-streamversion": "two"}, BODY),
        ("a time without offset", {**good, "ce-time": "2025-03-05T19:30:00"}, BODY),
        ("an id that is no UUID", {**good, "ce-id": "42"}, BODY),
        ("a body that is no JSON object", good, b"[1, 2"),
        ("XML", {**good, "ce-datacontenttype": "application/xml"}, b"<member/>"),
    ]
    for count, (what, headers, body) in enumerate(broken, start=1):
        await backend.send(body, headers)
        await backend.handled(count)
        assert processed(backend.registry, "rejected") == count, what
    assert store.applied == []

    # Rejected is settled for good: the next event is not held up behind any of them.
    await backend.send(BODY, good)
    await backend.handled(len(broken) + 1)
    assert [str(e.id) for e in store.applied] == [good["ce-id"]]
    assert processed(backend.registry, "acked") == 1


async def test_an_event_outside_the_subtree_never_reaches_the_handler(start: Start) -> None:
    store = MemoryStore()
    backend = await start(store)
    neighbour = backend.subject(*ORG_PATH[:2], "XX", "XX-1")
    above = backend.subject(*ORG_PATH[:2])  # the district itself
    await backend.send(BODY, envelope(backend, "member-8"), subject=neighbour)
    await backend.send(BODY, envelope(backend, "member-9"), subject=above)
    await backend.send(BODY, envelope(backend, "member-1"))
    await backend.handled(1)

    assert versions(store) == [("member-1", 1)]
    assert processed(backend.registry) == 1


class FailingOnce(MemoryStore):
    """A store whose database is away the first time it is asked."""

    failed = False

    async def apply(self, event: ChiboEvent) -> bool:
        if not self.failed:
            self.failed = True
            raise ConnectionError("database unavailable")
        return await super().apply(event)


async def test_an_event_the_store_failed_on_stays_unacked_and_is_applied_when_it_comes_again(
    start: Start,
) -> None:
    store = FailingOnce()
    backend = await start(store)
    headers = envelope(backend)
    if backend.name == "memory":
        with pytest.raises(ConnectionError):  # the in-memory broker hands it to the publisher
            await backend.send(BODY, headers)
    else:
        await backend.send(BODY, headers)
    await backend.handled(1)
    assert store.applied == []
    assert processed(backend.registry, "error") == 1
    assert processed(backend.registry, "acked") == 0

    if backend.name == "memory":
        await backend.send(BODY, headers)  # what the server does after ack_wait
    await backend.handled(2)
    assert [str(e.id) for e in store.applied] == [headers["ce-id"]]
    assert processed(backend.registry, "acked") == 1


# Only the server holds the later event back (max_ack_pending=1): the in-memory broker has
# nothing that could.
@pytest.mark.parametrize("start", ["nats"], indirect=True)
async def test_after_a_store_failure_a_later_version_waits_for_the_redelivery(
    start: Start,
) -> None:
    store = FailingOnce()
    backend = await start(store)
    await backend.send(BODY, envelope(backend, "member-1", 1))
    await backend.send(BODY, envelope(backend, "member-1", 2))
    await backend.handled(3)

    # Had version 2 overtaken the failed version 1, version 1 would have looked a repeat.
    assert versions(store) == [("member-1", 1), ("member-1", 2)]
    assert processed(backend.registry, "error") == 1
    assert processed(backend.registry, "acked") == 2


async def test_the_metrics_route_serves_what_the_middleware_counted(start: Start) -> None:
    backend = await start(MemoryStore())
    await backend.send(BODY, envelope(backend))
    await backend.handled(1)

    transport = httpx.ASGITransport(app=backend.consumer.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://example") as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    labels = (
        f'app_name="{backend.settings.durable}",broker="nats",'
        f'handler="{backend.subject()}",status="acked"'
    )
    assert f"faststream_received_processed_messages_total{{{labels}}} 1.0" in response.text
