"""Chi bộ thị tứ Võ Lao rebuilt through the public HTTP API (seed 000): 41 members leading
207 households; 1 exempt, 3 committee members leading overall, 37 assigned 5-10 each."""

from __future__ import annotations

from typing import Any

import httpx
from kernel.support import eventually

from .conftest import Service

BRANCH = "VL-TT"
PATH = "LC.VB.VL.VL-TT"


async def post(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(url, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def build_tree(client: httpx.AsyncClient) -> None:
    for unit_id, kind, name, parent in [
        ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
        ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
        ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
        (BRANCH, "branch", "Chi bộ thị tứ Võ Lao", "VL"),
        ("VL-KC", "branch", "Chi bộ thôn Khe Có", "VL"),
    ]:
        await post(
            client,
            "/v1/units",
            {
                "unit_id": unit_id,
                "kind": kind,
                "name": name,
                "parent_id": parent,
                "valid_from": "2020-01-01",
            },
        )


async def register_members(client: httpx.AsyncClient) -> list[str]:
    ids = []
    for i in range(41):
        accepted = await post(
            client,
            "/v1/members",
            {
                "full_name": f"Đảng viên số {i + 1}",
                "branch_id": BRANCH,
                "admission_date": "2010-05-19",
                "card_number": f"{7100000 + i}",
                "birth_date": "1975-03-08",
            },
        )
        ids.append(accepted["member_id"])
    return ids


async def test_vo_lao_coverage_then_a_transfer_releases_households(service: Service) -> None:
    client = service.client
    await build_tree(client)
    members = await register_members(client)
    await post(
        client,
        f"/v1/members/{members[0]}/exemption",
        {"from_date": "2023-01-01", "reason": "tuổi cao, sức yếu"},
    )
    for member_id, role in zip(
        members[1:4], ("secretary", "deputy_secretary", "committee_member"), strict=True
    ):
        await post(client, f"/v1/members/{member_id}/roles", {"role": role, "since": "2020-10-01"})
    households = [{"household_id": f"h{i:03}", "label": f"Hộ số {i}"} for i in range(1, 208)]
    await post(client, f"/v1/branches/{BRANCH}/households", {"households": households})
    await post(client, f"/v1/branches/{BRANCH}/plans/2024", {})
    assignments, start = [], 0
    for index, member_id in enumerate(members[4:]):
        size = 6 if index < 22 else 5  # 22 x 6 + 15 x 5 = 207, all within 5-10
        chunk = [h["household_id"] for h in households[start : start + size]]
        assignments.append({"member_id": member_id, "household_ids": chunk})
        start += size
    await post(
        client, f"/v1/branches/{BRANCH}/plans/2024/assignments", {"assignments": assignments}
    )
    await post(
        client,
        f"/v1/branches/{BRANCH}/plans/2024/adoption",
        {"resolution_number": "05-NQ/CB", "adopted_on": "2024-01-20"},
    )

    coverage = (await client.get(f"/v1/branches/{BRANCH}/plans/2024/coverage")).json()
    assert (coverage["members"], coverage["households"]) == ("37/37", "207/207")

    leaving = assignments[0]
    await post(
        client,
        f"/v1/members/{leaving['member_id']}/transfer",
        {"to_branch_id": "VL-KC", "on": "2024-06-01"},
    )
    after = (await client.get(f"/v1/branches/{BRANCH}/plans/2024/coverage")).json()
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
    assert not any(b"7100000" in m.data for m in service.wire)


async def test_a_taken_household_is_refused_in_both_languages_and_changes_nothing(
    service: Service,
) -> None:
    client = service.client
    await build_tree(client)
    first = (await register_members(client))[:2]
    await post(
        client,
        f"/v1/branches/{BRANCH}/households",
        {"households": [{"household_id": f"h{i}", "label": f"Hộ {i}"} for i in range(12)]},
    )
    await post(client, f"/v1/branches/{BRANCH}/plans/2024", {})
    await post(
        client,
        f"/v1/branches/{BRANCH}/plans/2024/assignments",
        {"assignments": [{"member_id": first[0], "household_ids": ["h1", "h2", "h3", "h4", "h5"]}]},
    )
    before = await service.runtime.pool.fetchval("SELECT count(*) FROM events")

    refused = await client.post(
        f"/v1/branches/{BRANCH}/plans/2024/assignments",
        json={
            "assignments": [
                {"member_id": first[1], "household_ids": ["h6", "h7", "h8", "h9", "h10"]},
                {"member_id": first[1], "household_ids": ["h5"]},
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
            "SELECT count(*) FROM plan_assignments WHERE member_id = $1", first[1]
        )
        == 0
    )
