"""Chi bộ thị tứ Võ Lao rebuilt through the public HTTP API (seed 000): 41 members leading
207 households; 1 exempt, 3 committee members leading overall, 37 assigned 5-10 each.
The same seeding runs in `./chibo up` as demo data."""

from __future__ import annotations

from typing import Any

import httpx
from kernel.support import eventually

from assignment.entrypoints.demo import BRANCH, PLAN, seed_vo_lao

from .conftest import Service

PATH = "LC.VB.VL.VL-TT"


async def post(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(url, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_vo_lao_coverage_then_a_transfer_releases_households(service: Service) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    assert await seed_vo_lao(client) is None  # a second run changes nothing
    adoption = {"resolution_number": "05-NQ/CB", "adopted_on": "2024-01-20"}
    await post(client, f"{PLAN}/adoption", adoption)

    coverage = (await client.get(f"{PLAN}/coverage")).json()
    assert (coverage["members"], coverage["households"]) == ("37/37", "207/207")

    leaving = seeded.assignments[0]
    transfer = {"to_branch_id": "VL-KC", "on": "2024-06-01"}
    await post(client, f"/v1/members/{leaving['member_id']}/transfer", transfer)

    after = (await client.get(f"{PLAN}/coverage")).json()
    assert after["members"] == "36/36"
    assert after["households"] == f"{207 - len(leaving['household_ids'])}/207"
    assert after["households_without_member"] == leaving["household_ids"]
    assert {r["reason"] for r in after["released"]} == {"transferred"}

    # Every public event reached a plain subscriber, under the branch's organisation path,
    # and no card number ever did.
    stored = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM events WHERE NOT metadata ? 'private'"
    )

    async def all_published() -> bool:
        return bool(len(service.wire) == stored)

    await eventually(all_published, timeout=30, what="every public event on NATS")
    subjects = {m.subject for m in service.wire}
    assert f"chibo.assignment.member.member_registered.v1.{PATH}._" in subjects
    assert f"chibo.assignment.plan.households_released.v1.{PATH}._" in subjects
    assert not any(b"99000" in m.data for m in service.wire)


async def test_a_taken_household_is_refused_in_both_languages_and_changes_nothing(
    service: Service,
) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    holder, other = seeded.assignments[0], seeded.assignments[1]
    before = await service.runtime.pool.fetchval("SELECT count(*) FROM events")
    held_before = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM plan_assignments WHERE member_id = $1", other["member_id"]
    )
    await post(
        client,
        f"/v1/branches/{BRANCH}/households",
        {"households": [{"household_id": "h900", "label": "Hộ mới"}]},
    )
    before += 1

    refused = await client.post(
        f"{PLAN}/assignments",
        json={
            "assignments": [
                {"member_id": other["member_id"], "household_ids": ["h900"]},  # fine alone
                {"member_id": other["member_id"], "household_ids": holder["household_ids"][:1]},
            ]
        },
    )

    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "households_taken"
    assert "đã có đảng viên phụ trách" in problem["detail_vi"]
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == before
    assert (
        await service.runtime.pool.fetchval(
            "SELECT count(*) FROM plan_assignments WHERE member_id = $1", other["member_id"]
        )
        == held_before
    )
