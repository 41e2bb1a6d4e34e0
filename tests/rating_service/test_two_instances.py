"""Two instances of the rating service on one database, as a Deployment of two replicas
runs them: one instance at a time fills each generation of the facts, both answer from the
same tables, a rebuild asked of either is switched in for both, and when the instance
filling a generation stops the other takes over."""

from __future__ import annotations

from attendance_service.branch import register
from kernel.support import eventually

from .conftest import Rating, Trio, running_rating
from .dump import differences, dump_read_models
from .year import a_year

CARDS = "/v1/units/VL/branches/2025"


def leading(*instances: Rating) -> list[set[str]]:
    return [set(i.read_models.generations.leading) for i in instances]


async def test_two_instances_share_the_facts_a_rebuild_and_the_work(
    trio: Trio, service_nats: str
) -> None:
    first = trio.rating
    # Longer than an instance takes to look: the old generation outlives both switches.
    async with running_rating(first.database_url, service_nats, retire_seconds=10) as second:
        second.sources = first.sources
        both = (first, second)
        await a_year(trio, 6)
        for instance in both:
            await instance.caught_up()
        cards = await first.ok("GET", CARDS)
        assert await second.ok("GET", CARDS) == cards
        before = await dump_read_models(first.database_url)
        assert sorted(map(len, leading(*both))) == [0, 2]  # two sources, one instance

        started = await second.ok("POST", "/v1/admin/read-models/rebuild")
        assert started["requested"] == 2

        async def both_switched() -> bool:
            states = [await i.ok("GET", "/v1/admin/read-models") for i in both]
            return all(s["active"] == 2 and s["building"] is None for s in states)

        await eventually(both_switched, timeout=60, what="both instances on generation 2")
        new = {c.spec.name for c in first.read_models.consumers}
        assert new == {c.spec.name for c in second.read_models.consumers}
        assert len(new) == 2
        assert all("-g2-" in name for name in new)

        async def one_leader() -> bool:
            sets = leading(*both)
            return sorted(map(len, sets)) == [0, 2] and set().union(*sets) == new

        await eventually(one_leader, what="one instance filling generation 2")
        assert not differences(await dump_read_models(first.database_url), before)
        assert await first.ok("GET", CARDS) == cards == await second.ok("GET", CARDS)

        # The instance filling the facts goes away: the other takes its consumers over.
        leader, other = sorted(both, key=lambda i: not i.read_models.generations.leading)
        await leader.read_models.generations.stop()
        member = await register(trio.assignment, 90)

        async def projected() -> bool:
            return bool(
                await other.runtime.pool.fetchval(
                    "SELECT count(*) FROM rm_2.members WHERE member_id = $1", member
                )
            )

        await eventually(projected, timeout=30, what="the other instance to take over")
        assert leading(other) == [new]
        await other.caught_up()
        parked = await other.runtime.pool.fetchval("SELECT count(*) FROM parked_messages")
        assert parked == 0
