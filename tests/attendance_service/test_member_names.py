"""Names on the roster as the assignment service tells them: registered in version 1 or 2,
corrected by `member_renamed`, and "đã xóa" where a sealed name opens as None (its member
erased, their key destroyed). On the in-memory roster and on PostgreSQL through the roster
projection, as its consumer applies what JetStream delivers; and end to end, a correction
entered in the assignment service reaching the roster through NATS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import date

import pytest

from attendance.adapters.lookups import ReadModelLookups
from attendance.adapters.memory_roster import MemoryRoster
from attendance.domain.roster import Roster
from attendance.migrations import upgrade
from chibo_contracts import assignment as a
from chibo_kernel import DomainEvent
from chibo_kernel.db import create_pool
from chibo_kernel.keyring import ERASED_VI
from chibo_kernel.store.erasure import decode_stored

from . import branch
from .conftest import Both
from .test_application import consumed

BRANCH, DAY = "VL-TT", date(2025, 3, 5)
RosterAfter = Callable[[Sequence[DomainEvent]], Awaitable[Roster]]


def registered(member_id: str, name: str) -> a.MemberRegisteredV2:
    return a.MemberRegisteredV2(
        member_id=member_id,
        full_name=name,
        branch_id=BRANCH,
        admission_date=date(2010, 5, 19),
        status="full",
    )


def erased(event: DomainEvent) -> DomainEvent:
    """The event as a consumer opens it once the member's key is destroyed."""
    return decode_stored(
        a.REGISTRY, event.event_type, event.model_dump_json(), frozenset({"full_name"})
    )


@pytest.fixture(params=["memory", "postgres"])
async def roster_after(request: pytest.FixtureRequest) -> AsyncIterator[RosterAfter]:
    """The branch's roster on DAY once the events are consumed."""
    if request.param == "memory":
        memory = MemoryRoster()

        async def in_memory(events: Sequence[DomainEvent]) -> Roster:
            memory.consume(events)
            return await memory.roster_on(BRANCH, DAY)

        yield in_memory
        return
    url: str = request.getfixturevalue("fresh_database")
    await asyncio.to_thread(upgrade, url)
    pool = await create_pool(url)

    async def projected(events: Sequence[DomainEvent]) -> Roster:
        await consumed(pool, events)
        return await ReadModelLookups(lambda: pool).roster_on(BRANCH, DAY)

    try:
        yield projected
    finally:
        await pool.close()


def names(roster: Roster) -> dict[str, str]:
    return {e.member_id: e.full_name for e in roster.entries.values()}


async def test_either_version_registers_and_a_renaming_corrects_the_name(
    roster_after: RosterAfter,
) -> None:
    first = a.MemberRegistered(**registered("m1", "Lò Văn Pâng").model_dump())
    roster = await roster_after(
        [
            first,
            registered("m2", "Giàng Thị Dợ"),
            a.MemberRenamed(member_id="m2", full_name="Giàng Thị Dợ Mai"),
        ]
    )
    assert names(roster) == {"m1": "Lò Văn Pâng", "m2": "Giàng Thị Dợ Mai"}


async def test_a_name_that_opens_as_none_is_shown_as_erased_and_the_member_still_counts(
    roster_after: RosterAfter,
) -> None:
    roster = await roster_after(
        [
            erased(registered("m3", "Hoàng Thị Mai")),
            registered("m4", "Vàng A Chử"),
            erased(a.MemberRenamed(member_id="m4", full_name="Vàng A Chứ")),
        ]
    )
    assert names(roster) == {"m3": ERASED_VI, "m4": ERASED_VI}
    assert all(e.standing == "expected" for e in roster.entries.values())


async def test_a_name_corrected_in_the_assignment_service_reaches_the_roster(both: Both) -> None:
    a_service, t = both.assignment, both.attendance
    await branch.create_units(a_service)
    member_id = await branch.register(a_service, 7)
    await t.roster_has(branch.BRANCH, DAY.isoformat(), 1)
    correction = {"full_name": "Lò Thị Hoà"}
    await branch.ok(a_service, "PUT", f"/v1/members/{member_id}/identity", json=correction)
    await t.settled()
    roster = await t.ok("GET", f"/v1/branches/{branch.BRANCH}/roster", params={"on": DAY})
    assert [(m["member_id"], m["full_name"]) for m in roster["members"]] == [
        (member_id, "Lò Thị Hoà")
    ]
