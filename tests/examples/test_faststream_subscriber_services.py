"""examples/faststream_subscriber.py against what the assignment service really published, on
the test's own NATS: one branch's events, each applied once, in the stream's order; a second
reader from the start brings them all again and the store applies none twice."""

from __future__ import annotations

from dataclasses import replace

from assignment_service.conftest import Service, running_service
from attendance_service.branch import BRANCH, OTHER, create_units, register
from faststream_subscriber import Consumer, MemoryStore, Settings, build
from kernel.support import eventually, read_stream
from nats.js import JetStreamContext

from .conftest import processed

STREAM = "CHIBO_ASSIGNMENT"
OURS = ("LC", "VB", "VL", BRANCH)


async def all_on_the_stream(service: Service) -> None:
    async def published() -> bool:
        stored = await service.runtime.pool.fetchval(
            "SELECT count(*) FROM events WHERE NOT (metadata ? 'private')"
        )
        info = await service.nc.jetstream().stream_info(STREAM)
        return bool(stored) and info.state.messages == stored

    await eventually(published, timeout=30, what="the relay to publish every event")


async def ours_on_the_stream(js: JetStreamContext) -> list[str]:
    """The ce-ids of the branch's events, in the stream's order, read with plain nats-py."""
    return [
        m.headers["ce-id"]
        for m in await read_stream(js, STREAM)
        if m.headers and m.subject.split(".")[5:9] == list(OURS)
    ]


async def run_until_handled(consumer: Consumer, count: int) -> None:
    """Start the example, wait until it has handled `count` messages, stop it."""
    await consumer.broker.start()
    try:

        async def handled() -> bool:
            return processed(consumer.registry) >= count

        await eventually(handled, timeout=30, what=f"the example to handle {count} message(s)")
    finally:
        await consumer.broker.stop()


async def test_the_example_applies_each_published_event_of_its_subtree_once(
    fresh_database: str, service_nats: str
) -> None:
    async with running_service(fresh_database, service_nats) as a:
        await create_units(a)
        ours = [await register(a, i) for i in range(3)]
        theirs = await register(a, 50, OTHER)
        await all_on_the_stream(a)
        js = a.nc.jetstream()
        expected = await ours_on_the_stream(js)
        assert len(expected) > len(ours)  # the branch's creation, each member's events

        store = MemoryStore()
        settings = Settings("assignment", OURS, "my-system", nats_url=service_nats)
        await run_until_handled(build(settings, store), len(expected))
        consumer = await js.consumer_info(STREAM, "my-system")

        assert [str(e.id) for e in store.applied] == expected
        members = {e.data.get("member_id") for e in store.applied}
        assert set(ours) <= members
        assert theirs not in members
        assert (consumer.num_pending, consumer.num_ack_pending) == (0, 0)  # all acked
        assert consumer.config.filter_subject == f"chibo.assignment.*.*.*.{'.'.join(OURS)}.>"
        assert consumer.config.max_ack_pending == 1

        # Everything once more, as a replay or a lost ack would bring it: none applied twice.
        again = build(replace(settings, durable="my-system-replay"), store)
        await run_until_handled(again, len(expected))
        assert [str(e.id) for e in store.applied] == expected
        assert processed(again.registry, "acked") == len(expected)

        # The durable resumes where it stopped: restarted later, it reads only what is new.
        newcomer = await register(a, 9)
        await all_on_the_stream(a)
        new = (await ours_on_the_stream(js))[len(expected) :]
        fresh = MemoryStore()
        await run_until_handled(build(settings, fresh), len(new))
        assert [str(e.id) for e in fresh.applied] == new
        assert {e.data.get("member_id") for e in fresh.applied} == {newcomer}
