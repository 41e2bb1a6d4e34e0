"""Erasing a member's personal data through the composition root (`bootstrap.boundary`), on
the in-memory store and on PostgreSQL: refused while the Party keeps the record, naming the
member and saying from when it is possible; otherwise the tombstone, then the key destroyed;
asked again, the key destroyed again and the same answer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest

from assignment.adapters.aggregate_places import AggregatePlaces
from assignment.adapters.directory import ReadModelDirectory
from assignment.adapters.memory_directory import MemoryDirectory
from assignment.adapters.places import Places, ReadModelPlaces
from assignment.application.repository import assignment_repository
from assignment.bootstrap import boundary
from assignment.domain import commands as c
from assignment.domain.erasure import ErasableMember, erasable_from
from assignment.domain.events import ErasureBasis
from assignment.domain.identity import MemberIdentity
from assignment.migrations import upgrade
from chibo_chassis.auth import Boundary, acting_as
from chibo_kernel.db import create_pool
from chibo_kernel.domain import Repository
from chibo_kernel.errors import Conflict
from chibo_kernel.keyring import Keyring
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import EventStore, InMemoryEventStore, PostgresEventStore

from .test_application import ADMIN, a_tree

TODAY = date(2026, 12, 6)
NAME = "Hoàng Thị Mai"


def counted(keyring: Keyring) -> list[str]:
    """The subjects whose key `keyring` is asked to destroy, from now on."""
    destroyed: list[str] = []
    destroy = keyring.destroy

    async def counting(subject: str) -> datetime:
        destroyed.append(subject)
        return await destroy(subject)

    keyring.destroy = counting  # type: ignore[method-assign]
    return destroyed


@dataclass
class Backend:
    bus: Boundary[Places]
    store: EventStore
    repository: Repository
    keyring: Keyring
    pool: LeanPool | None = None

    def __post_init__(self) -> None:
        self.destroyed = counted(self.keyring)

    async def events(self, member_id: str) -> list[str]:
        return [e.event_type.split(".")[2] for e in await self.store.load(f"member-{member_id}")]

    async def key_of(self, member_id: str) -> object:
        return (await self.keyring.for_reading([member_id]))[member_id]


@pytest.fixture(params=["memory", "postgres"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        memory, directory = InMemoryEventStore(), MemoryDirectory()
        repository = assignment_repository(lambda: memory, read_models=directory.project)
        places = AggregatePlaces(repository)
        bus = boundary(repository, places, directory=directory, keys=lambda: memory.keyring)
        yield Backend(bus, memory, repository, memory.keyring)
        return
    url: str = request.getfixturevalue("fresh_database")
    await asyncio.to_thread(upgrade, url)
    pool = await create_pool(url)
    try:
        store = PostgresEventStore(pool)
        repository = assignment_repository(lambda: store)
        bus = boundary(
            repository,
            ReadModelPlaces(lambda: pool),
            directory=ReadModelDirectory(lambda: pool),
            keys=lambda: store.keyring,
        )
        yield Backend(bus, store, repository, store.keyring, pool)
    finally:
        await pool.close()


async def a_member(backend: Backend, member_id: str, *, left_on: date | None) -> None:
    await a_tree(backend.bus)
    with acting_as(ADMIN):
        card, born = "0123456789", date(1965, 7, 8)
        await backend.bus.run(
            c.RegisterMember(NAME, "VL-TT", date(1990, 3, 2), "full", card, born, member_id)
        )
        if left_on is not None:
            await backend.bus.run(c.MemberLeaves(member_id, left_on, "từ trần"))


async def erase(
    backend: Backend, member_id: str, basis: ErasureBasis = "subject_request"
) -> object:
    with acting_as(ADMIN):
        return await backend.bus.run(c.EraseMember(member_id, basis, TODAY))


async def test_an_open_record_is_kept_and_the_refusal_names_the_member(backend: Backend) -> None:
    await a_member(backend, "m-001", left_on=None)

    with pytest.raises(Conflict) as refused:
        await erase(backend, "m-001")

    assert refused.value.code == "erasure_record_open"
    assert NAME in refused.value.message_en
    assert NAME in refused.value.message_vi
    assert "5 years" in refused.value.message_en
    assert "5 năm" in refused.value.message_vi
    assert refused.value.details["erasable_from"] == ""
    assert await backend.events("m-001") == ["member_registered"]
    assert backend.destroyed == []
    assert await backend.key_of("m-001") is not None


async def test_a_record_closed_within_five_years_is_kept_until_a_day_it_names(
    backend: Backend,
) -> None:
    await a_member(backend, "m-002", left_on=date(2023, 2, 28))

    with pytest.raises(Conflict) as refused:
        await erase(backend, "m-002", "retention_expired")

    assert refused.value.code == "erasure_keeping_period"
    assert refused.value.details["erasable_from"] == "2028-02-28"
    assert "2028-02-28" in refused.value.message_en
    assert "28/02/2028" in refused.value.message_vi  # dates as Vietnamese readers write them
    assert await backend.events("m-002") == ["member_registered", "member_left"]
    assert backend.destroyed == []


async def test_a_record_closed_five_years_ago_is_erased_then_its_key_destroyed(
    backend: Backend,
) -> None:
    await a_member(backend, "m-003", left_on=date(2021, 12, 6))

    saved = await erase(backend, "m-003")

    assert await backend.events("m-003") == ["member_registered", "member_left", "member_erased"]
    assert backend.destroyed == ["m-003"]
    assert await backend.key_of("m-003") is None
    member = await backend.repository.load(ErasableMember, "m-003")
    assert (member.erased_on, member.erased_as) == (TODAY, "subject_request")
    identity = await backend.repository.load(MemberIdentity, "m-003")
    assert identity.exists
    assert [identity.card_number, identity.birth_date] == [None, None]  # erased: read None
    again = await erase(backend, "m-003", "retention_expired")
    assert again == saved
    assert backend.destroyed == ["m-003", "m-003"]
    assert await backend.events("m-003") == ["member_registered", "member_left", "member_erased"]


async def test_an_entry_made_in_error_is_erased_once_closed_without_waiting(
    backend: Backend,
) -> None:
    await a_member(backend, "m-004", left_on=None)
    with pytest.raises(Conflict) as refused:
        await erase(backend, "m-004", "entered_in_error")
    assert "departure" in refused.value.message_en
    with acting_as(ADMIN):
        await backend.bus.run(c.MemberLeaves("m-004", TODAY, "nhập nhầm"))

    await erase(backend, "m-004", "entered_in_error")

    assert (await backend.events("m-004"))[-1] == "member_erased"
    assert backend.destroyed == ["m-004"]


async def test_the_read_models_keep_the_row_and_lose_the_name_card_and_birth_date(
    backend: Backend,
) -> None:
    await a_member(backend, "m-005", left_on=date(2020, 1, 1))

    await erase(backend, "m-005")

    # On both stores the card is free again: a registration with it is not refused.
    with acting_as(ADMIN):
        await backend.bus.run(
            c.RegisterMember(
                "Lò Văn Mới", "VL-TT", date(2001, 1, 1), "full", "0123456789", date(1980, 1, 1)
            )
        )
    if backend.pool is not None:  # and PostgreSQL's read models keep the row, nameless
        async with backend.pool.acquire() as conn:
            member = await conn.fetchrow("SELECT * FROM members WHERE member_id = 'm-005'")
            card = await conn.fetchrow("SELECT * FROM member_cards WHERE member_id = 'm-005'")
        assert member["full_name"] == "đã xóa"
        assert member["left_on"] == date(2020, 1, 1)
        assert (card["card_number"], card["birth_date"]) == (None, None)


def test_a_record_closed_on_29_february_is_kept_to_the_first_of_march() -> None:
    assert erasable_from(date(2024, 2, 29)) == date(2029, 3, 1)
    assert erasable_from(date(2021, 12, 6)) == date(2026, 12, 6)


async def test_an_import_report_loses_the_erased_name_and_card_but_keeps_other_rows(
    backend: Backend,
) -> None:
    if backend.pool is None:
        return  # import jobs are kept in PostgreSQL only when the service runs on it
    await a_member(backend, "m-006", left_on=date(2020, 1, 1))
    report: dict[str, Any] = {
        "rows": 3,
        "imported": 1,
        "unchanged": 0,
        "errors": [
            [4, "card_number", "card 0123456789 is held by Hoàng Thị Mai", "thẻ 0123456789 ..."],
            [5, "birth_date", "no birth date", "thiếu ngày sinh"],
        ],
        "names": {"4": NAME, "5": "Hoàng Thị Mai Anh"},
    }
    async with backend.pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO import_jobs (job_id, org_path, filename, status, report, started_at,"
            " updated_at) VALUES ('j1', '{LC}', 'ds.xlsx', 'done', $1::jsonb, now(), now())",
            json.dumps(report, ensure_ascii=False),
        )

    await erase(backend, "m-006")

    async with backend.pool.acquire() as conn:
        kept = json.loads(await conn.fetchval("SELECT report FROM import_jobs"))
    assert kept["names"] == {"4": "đã xóa", "5": "Hoàng Thị Mai Anh"}
    assert kept["errors"][0][2:] == ["card đã xóa is held by đã xóa", "thẻ đã xóa ..."]
    assert kept["errors"][1] == report["errors"][1]
    assert (kept["rows"], kept["imported"]) == (3, 1)
