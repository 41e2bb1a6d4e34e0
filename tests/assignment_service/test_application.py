"""The assignment service's commands through its composition root (`bootstrap.boundary`),
without HTTP or NATS: one suite, run on the in-memory store (places answered from the
aggregates' events, the directory kept in memory) and on PostgreSQL (both answered from
the read models written in the append's transaction). The same permissions table decides
on both."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from assignment.adapters.aggregate_places import AggregatePlaces
from assignment.adapters.directory import ReadModelDirectory
from assignment.adapters.memory_directory import MemoryDirectory
from assignment.adapters.places import Places, ReadModelPlaces
from assignment.application.repository import assignment_repository
from assignment.bootstrap import boundary
from assignment.domain import commands as c
from assignment.domain.events import UnitKind
from assignment.migrations import upgrade
from chibo_chassis.auth import Boundary, Forbidden, Principal, Role, acting_as
from chibo_kernel.db import create_pool
from chibo_kernel.errors import ChiboError, NotFound
from chibo_kernel.store import EventStore, InMemoryEventStore, PostgresEventStore

ADMIN = Principal("an@tinh", Role.PROVINCE_ADMIN, ())
SECRETARY = Principal("lan@vl-tt", Role.BRANCH_SECRETARY, ("LC", "VB", "VL", "VL-TT"))
TREE: list[tuple[str, UnitKind, str | None]] = [
    ("LC", "province", None),
    ("VB", "district", "LC"),
    ("VL", "grassroots", "VB"),
    ("VL-TT", "branch", "VL"),
    ("VL-KC", "branch", "VL"),
]


class Backend:
    def __init__(self, bus: Boundary[Places], store: EventStore) -> None:
        self.bus, self.store = bus, store

    async def events(self, stream_id: str) -> list[str]:
        return [e.event_type for e in await self.store.load(stream_id)]


@pytest.fixture(params=["memory", "postgres"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        memory, directory = InMemoryEventStore(), MemoryDirectory()
        repository = assignment_repository(lambda: memory, read_models=directory.project)
        bus = boundary(repository, AggregatePlaces(repository), directory=directory)
        yield Backend(bus, memory)
        return
    url: str = request.getfixturevalue("fresh_database")
    await asyncio.to_thread(upgrade, url)
    pool = await create_pool(url)
    try:
        store = PostgresEventStore(pool)
        bus = boundary(
            assignment_repository(lambda: store),
            ReadModelPlaces(lambda: pool),
            directory=ReadModelDirectory(lambda: pool),
        )
        yield Backend(bus, store)
    finally:
        await pool.close()


async def a_tree(bus: Boundary[Any]) -> None:
    with acting_as(ADMIN):
        for unit_id, kind, parent in TREE:
            await bus.run(c.CreateUnit(unit_id, kind, unit_id, parent, date(2020, 1, 1)))


async def register(bus: Boundary[Any], member_id: str, branch: str) -> None:
    command = c.RegisterMember(
        full_name="Lò Văn Páo",
        branch_id=branch,
        admission_date=date(2010, 5, 19),
        status="full",
        card_number="012345" + member_id[-3:],
        birth_date=date(1980, 1, 1),
        member_id=member_id,
    )
    await bus.run(command)


async def test_a_secretary_works_in_their_branch_and_nowhere_else(backend: Backend) -> None:
    bus = backend.bus
    await a_tree(bus)
    with acting_as(SECRETARY):
        await register(bus, "m-001", "VL-TT")
        await bus.run(c.GiveRole("m-001", "deputy_secretary", date(2021, 1, 1)))
        with pytest.raises(Forbidden):
            await register(bus, "m-002", "VL-KC")  # next door
        with pytest.raises(Forbidden):  # out of the subtree, and nothing reveals more
            await bus.run(c.TransferMember("m-001", "VL-KC", date(2024, 3, 1)))
        with pytest.raises(Forbidden):
            await bus.run(c.GiveRole("nobody", "secretary", date(2021, 1, 1)))
    assert await backend.events("member-m-001") == [
        "chibo.assignment.member_registered.v3",
        "chibo.assignment.member_role_given.v1",
    ]
    assert await backend.events("member-m-002") == []


async def test_the_province_learns_what_does_not_exist_and_the_rules_still_hold(
    backend: Backend,
) -> None:
    bus = backend.bus
    await a_tree(bus)
    with acting_as(ADMIN):
        with pytest.raises(NotFound):
            await bus.run(c.GiveRole("nobody", "secretary", date(2021, 1, 1)))
        await register(bus, "m-003", "VL-TT")
        await bus.run(c.TransferMember("m-003", "VL-KC", date(2024, 3, 1)))
        with pytest.raises(ChiboError):  # a grassroots organisation with branches holds none
            await register(bus, "m-004", "VL")
    transferred = await backend.events("member-m-003")
    assert transferred[-1] == "chibo.assignment.member_transferred.v1"


async def test_the_service_itself_needs_no_principal(backend: Backend) -> None:
    await a_tree(backend.bus)
    await register(backend.bus, "m-005", "VL-KC")
    assert await backend.events("member-m-005") == ["chibo.assignment.member_registered.v3"]
