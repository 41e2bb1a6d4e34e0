"""`privacy seal-legacy`: private rows written before encryption, sealed in place as an
append would have sealed them, once, and erased where their person's key was destroyed."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from asyncio.subprocess import PIPE
from collections.abc import Sequence

import pytest

from chibo_chassis.privacy_cli import seal_legacy_rows
from chibo_chassis.settings import KernelSettings
from chibo_contracts.attendance import REGISTRY as ATTENDANCE_EVENTS
from chibo_contracts.attendance_private import AbsenceReasonRecorded
from chibo_kernel import DomainEvent, PostgresEventStore
from chibo_kernel.pool import LeanPool
from chibo_kernel.store.legacy_sealing import count_plaintext, seal_legacy

from .shredding_support import BORN, CARD, REASON, CardNoted, Joined, member, noted, registry

PLAIN = (CARD, REASON, BORN.isoformat(), json.dumps(REASON)[1:-1])  # escaped too
NAME = "Lò Thị Dung"


async def write_raw(pool: LeanPool, stream_id: str, events: Sequence[DomainEvent]) -> None:
    """As the store wrote rows before encryption: the event's JSON as it is."""
    for version, event in enumerate(events, 1):
        await pool.execute(
            "INSERT INTO events (stream_id, version, event_id, event_type, data, metadata) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            stream_id,
            version,
            uuid.uuid4(),
            event.event_type,
            event.model_dump_json(),
            json.dumps({"correlation_id": "c-1", "org_path": [], "private": not event.published}),
        )


async def raw_rows(pool: LeanPool, stream_id: str) -> list[tuple[str, str]]:
    rows = await pool.fetch(
        "SELECT data::text AS data, metadata::text AS metadata FROM events "
        "WHERE stream_id = $1 ORDER BY version",
        stream_id,
    )
    return [(r["data"], r["metadata"]) for r in rows]


async def decoded(pool: LeanPool, stream_id: str) -> list[DomainEvent]:
    return [r.decode(registry) for r in await PostgresEventStore(pool).load(stream_id)]


async def test_legacy_rows_are_sealed_in_place_and_load_the_same_values(pool: LeanPool) -> None:
    who, other = member(), member()
    mine = [noted(who), noted(who, reason=None), noted(who, card_number="42")]
    await write_raw(pool, f"member_private-{who}", mine)
    await write_raw(pool, f"member_private-{other}", [noted(other)])
    # appended after encryption: already sealed, so not counted again
    await PostgresEventStore(pool).append(f"member_private-{other}", 1, [noted(other)])

    result = await seal_legacy(pool, registry, batch=2)

    assert (result.found, result.sealed, result.emptied, result.remaining) == (4, 4, 0, 0)
    assert result.unsealable == []
    assert await decoded(pool, f"member_private-{who}") == mine
    assert await decoded(pool, f"member_private-{other}") == [noted(other), noted(other)]
    for data, metadata in await raw_rows(pool, f"member_private-{who}"):
        assert not [value for value in PLAIN if value in data], data
        assert json.loads(data)["card_number"].startswith("enc:v1:")
        assert json.loads(metadata)["data_subject"] == who
        assert json.loads(metadata)["correlation_id"] == "c-1"  # the rest of it kept
    assert json.loads((await raw_rows(pool, f"member_private-{who}"))[1][0])["reason"] is None
    assert await count_plaintext(pool, registry) == 0


async def test_a_second_run_seals_nothing_and_changes_no_row(pool: LeanPool) -> None:
    who = member()
    await write_raw(pool, f"member_private-{who}", [noted(who), noted(who)])
    await seal_legacy(pool, registry)
    sealed = await raw_rows(pool, f"member_private-{who}")

    again = await seal_legacy(pool, registry)

    assert (again.found, again.sealed, again.emptied, again.remaining) == (0, 0, 0, 0)
    assert await raw_rows(pool, f"member_private-{who}") == sealed


async def test_an_erased_persons_legacy_fields_are_emptied_and_load_as_none(
    pool: LeanPool,
) -> None:
    erased, kept = member(), member()
    await write_raw(pool, f"member_private-{erased}", [noted(erased), noted(erased, reason=None)])
    await write_raw(pool, f"member_private-{kept}", [noted(kept)])
    await PostgresEventStore(pool).keyring.destroy(erased)

    result = await seal_legacy(pool, registry)

    assert (result.sealed, result.emptied, result.remaining) == (1, 2, 0)
    for data, metadata in await raw_rows(pool, f"member_private-{erased}"):
        assert not [value for value in PLAIN if value in data], data
        assert json.loads(metadata)["data_subject"] == erased
    loaded = await PostgresEventStore(pool).load(f"member_private-{erased}")
    assert [r.erased for r in loaded] == [
        {"card_number", "born", "reason"},
        {"card_number", "born"},
    ]
    for event in [r.decode(registry) for r in loaded]:
        assert isinstance(event, CardNoted)
        assert event.model_dump() == {
            "member_id": erased,
            "card_number": None,
            "born": None,
            "reason": None,
            "branch": "VL-TT",  # what is not personal stays
        }
    assert await decoded(pool, f"member_private-{kept}") == [noted(kept)]
    assert await PostgresEventStore(pool).keyring.for_reading([erased]) == {erased: None}


async def test_published_rows_are_left_byte_for_byte(pool: LeanPool) -> None:
    who = member()
    await write_raw(pool, f"member-{who}", [Joined(member_id=who, full_name=NAME)])
    await write_raw(pool, f"member_private-{who}", [noted(who)])
    query = (
        "SELECT position, event_id, data::text, metadata::text, recorded_at, tx_id::text "
        "FROM events WHERE stream_id = $1"
    )
    before = [tuple(r) for r in await pool.fetch(query, f"member-{who}")]

    result = await seal_legacy(pool, registry)

    assert result.sealed == 1
    assert [tuple(r) for r in await pool.fetch(query, f"member-{who}")] == before
    assert NAME in before[0][2]


async def test_two_concurrent_runs_seal_each_row_once(pool: LeanPool) -> None:
    people = [member() for _ in range(20)]
    for who in people:
        await write_raw(pool, f"member_private-{who}", [noted(who), noted(who), noted(who)])

    one, two = await asyncio.gather(
        seal_legacy(pool, registry, batch=4), seal_legacy(pool, registry, batch=4)
    )

    assert one.sealed + two.sealed == 60
    assert one.emptied + two.emptied == 0
    assert await count_plaintext(pool, registry) == 0
    for who in people:
        assert await decoded(pool, f"member_private-{who}") == [noted(who)] * 3


async def test_a_row_naming_no_person_is_left_and_the_command_fails_in_both_languages(
    pool: LeanPool, kernel_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    who = member()
    await write_raw(pool, f"member_private-{who}", [noted(who)])
    await write_raw(pool, "member_private-nobody", [noted("")])
    settings = KernelSettings(database_url=kernel_db, nats_url="nats://127.0.0.1:4222")

    status = await seal_legacy_rows("assignment", settings, registry, 500)

    out, err = capsys.readouterr()
    assert status == 1
    assert "1 row(s) sealed" in out
    assert "member_private-nobody v1" in err
    assert "name no data subject" in err
    assert "không ghi chủ thể dữ liệu" in err
    assert await count_plaintext(pool, registry) == 1
    assert await decoded(pool, f"member_private-{who}") == [noted(who)]


async def test_without_a_master_key_the_command_fails_in_both_languages_changing_nothing(
    pool: LeanPool, kernel_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    who = member()
    await write_raw(pool, f"member_private-{who}", [noted(who)])
    settings = KernelSettings(
        database_url=kernel_db, nats_url="nats://127.0.0.1:4222", master_key=None
    )

    status = await seal_legacy_rows("rating", settings, registry, 500)

    err = capsys.readouterr().err
    assert status == 1
    assert "CHIBO_MASTER_KEY: not set" in err
    assert "lỗi cấu hình: CHIBO_MASTER_KEY chưa được đặt" in err
    assert await count_plaintext(pool, registry) == 1


async def test_each_service_command_seals_its_own_private_events(
    kernel_db: str, pool: LeanPool
) -> None:
    who = member()
    reason = AbsenceReasonRecorded(
        meeting_id="mt-1", branch_id="VL-TT", member_id=who, reason=REASON
    )
    await write_raw(pool, "meetings_private-VL-TT-2026", [reason])
    environment = os.environ | {
        "CHIBO_DATABASE_URL": kernel_db,
        "CHIBO_NATS_URL": "nats://127.0.0.1:4222",
    }
    command = [sys.executable, "-m", "attendance.entrypoints.cli", "privacy", "seal-legacy"]
    process = await asyncio.create_subprocess_exec(
        *command, "--batch", "1", env=environment, stdout=PIPE, stderr=PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)

    assert process.returncode == 0, err.decode()
    assert "1 row(s) sealed" in out.decode()
    assert "0 plaintext row(s) remain" in out.decode()
    ((data, _),) = await raw_rows(pool, "meetings_private-VL-TT-2026")
    assert json.loads(data)["reason"].startswith("enc:v1:")
    (loaded,) = await PostgresEventStore(pool).load("meetings_private-VL-TT-2026")
    assert loaded.decode(ATTENDANCE_EVENTS) == reason
