"""Names in rating's facts as the assignment service tells them: registered in version 1 or
2, corrected by `member_renamed`, and "đã xóa" where a sealed name opens as None (its member
erased, their key destroyed). Read back as the member lists, scorecards and proposals read
them (`member_evidence`), from facts projected into PostgreSQL as the consumer applies them.
Names feed no rule, so a renaming marks nothing to derive again."""

from __future__ import annotations

import asyncio
from datetime import date

from chibo_contracts import assignment as a
from chibo_kernel import DomainEvent
from chibo_kernel.db import create_pool
from chibo_kernel.keyring import ERASED_VI
from chibo_kernel.store.erasure import decode_stored
from rating.adapters.facts_schema import facts
from rating.adapters.touched import Touched
from rating.application.queries.evidence import member_evidence
from rating.migrations import upgrade

from .test_application import FirstGeneration, consumed

ADMITTED = date(2010, 5, 19)


def unit(unit_id: str, kind: str, path: list[str]) -> a.OrgUnitCreated:
    parent = path[-2] if len(path) > 1 else None
    return a.OrgUnitCreated(
        unit_id=unit_id, kind=kind, name=unit_id, parent_id=parent, path=path, valid_from=ADMITTED
    )


def registered(member_id: str, name: str) -> a.MemberRegisteredV2:
    return a.MemberRegisteredV2(
        member_id=member_id,
        full_name=name,
        branch_id="VL-TT",
        admission_date=ADMITTED,
        status="full",
    )


def erased(event: DomainEvent) -> DomainEvent:
    """The event as a consumer opens it once the member's key is destroyed."""
    return decode_stored(
        a.REGISTRY, event.event_type, event.model_dump_json(), frozenset({"full_name"})
    )


async def test_names_registered_corrected_and_erased_as_the_member_lists_read_them(
    fresh_database: str,
) -> None:
    await asyncio.to_thread(upgrade, fresh_database)
    pool = await create_pool(fresh_database)
    try:
        await consumed(
            pool,
            [
                unit("LC", "province", ["LC"]),
                unit("VL-TT", "branch", ["LC", "VL-TT"]),
                a.MemberRegistered(**registered("m1", "Lò Văn Pâng").model_dump()),
                registered("m2", "Giàng Thị Dợ"),
                a.MemberRenamed(member_id="m2", full_name="Giàng Thị Dợ Mai"),
                erased(registered("m3", "Hoàng Thị Mai")),
                registered("m4", "Vàng A Chử"),
                erased(a.MemberRenamed(member_id="m4", full_name="Vàng A Chứ")),
            ],
        )
        async with facts(pool, FirstGeneration.active_schema) as conn:
            found = await member_evidence(conn, "LC", 2025)
    finally:
        await pool.close()
    assert {m.member_id: m.full_name for m in found} == {
        "m1": "Lò Văn Pâng",
        "m2": "Giàng Thị Dợ Mai",
        "m3": ERASED_VI,
        "m4": ERASED_VI,
    }


def test_a_renaming_marks_no_rating_to_derive_again() -> None:
    touched = Touched(first_year=2020)
    touched.add(a.MemberRenamed(member_id="m2", full_name="Giàng Thị Dợ Mai"))
    assert (touched.cells, touched.members, touched.years) == ({}, {}, {})
