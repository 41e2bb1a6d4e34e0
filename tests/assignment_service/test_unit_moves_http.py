"""2025: districts abolished. The commune moves under the province, the district is
dissolved, and the past keeps the paths it was filed under."""

from __future__ import annotations

from kernel.support import eventually

from chibo_tools.demo.assignment import seed_vo_lao

from .conftest import Service
from .test_vo_lao_http import MOVE_STORY, assert_on_the_wire, post


async def test_abolishing_the_district_moves_the_commune_and_keeps_history(
    service: Service,
) -> None:
    client, pool = service.client, service.runtime.pool
    assert await seed_vo_lao(client) is not None

    into_itself = await client.post(
        "/v1/units/VB/move", json={"to_parent_id": "VL", "valid_from": "2025-07-01"}
    )
    assert into_itself.status_code == 422
    assert into_itself.json()["code"] == "invalid_parent"  # a district never sits under a commune
    branch_under_province = await client.post(
        "/v1/units/VL-TT/move", json={"to_parent_id": "LC", "valid_from": "2025-07-01"}
    )
    assert branch_under_province.json()["code"] == "invalid_parent"

    await post(client, "/v1/units/VL/move", {"to_parent_id": "LC", "valid_from": "2025-07-01"})
    await post(
        client,
        "/v1/units/VB/dissolution",
        {"valid_from": "2025-07-01", "reason": "bỏ cấp huyện (2025)"},
    )
    newcomer = await post(
        client,
        "/v1/members",
        {
            "full_name": "Lý Thị Mai",
            "branch_id": "VL-TT",
            "admission_date": "2025-08-19",
            "status": "probationary",
            "card_number": "66001234",
            "birth_date": "2003-04-04",
        },
    )

    paths = dict(await pool.fetch("SELECT unit_id, path FROM org_units ORDER BY unit_id"))
    assert paths["VL"] == ["LC", "VL"]
    assert paths["VL-TT"] == ["LC", "VL", "VL-TT"]  # the subtree moved with its commune
    filed = await pool.fetchval(
        "SELECT metadata->>'org_path' FROM events WHERE stream_id = $1",
        f"member-{newcomer['member_id']}",
    )
    assert filed == '["LC", "VL", "VL-TT"]'
    earlier = await pool.fetchval(
        "SELECT metadata->>'org_path' FROM events WHERE stream_id = 'org-VL-TT' AND version = 1"
    )
    assert earlier == '["LC", "VB", "VL", "VL-TT"]'  # history is not rewritten
    await assert_on_the_wire(service, MOVE_STORY - {"org_unit_merged"})
    # Filed before the move under the district, after it under the province.
    both = {
        "chibo.assignment.member.member_registered.v3.LC.VL.VL-TT._",
        "chibo.assignment.member.member_registered.v3.LC.VB.VL.VL-TT._",
    }

    async def published() -> bool:
        return both <= {m.subject for m in service.wire}

    await eventually(published, timeout=30, what="registrations under both paths on NATS")


async def test_merging_branches_moves_members_and_households_and_merging_communes_moves_branches(
    service: Service,
) -> None:
    client, pool = service.client, service.runtime.pool
    assert await seed_vo_lao(client) is not None
    khe_co = [
        (
            await post(
                client,
                "/v1/members",
                {
                    "full_name": f"Đảng viên Khe Có {i}",
                    "branch_id": "VL-KC",
                    "admission_date": "2011-02-03",
                    "card_number": f"{4400000 + i}",
                    "birth_date": "1980-01-01",
                },
            )
        )["member_id"]
        for i in range(3)
    ]
    households = [{"household_id": f"kc{i}", "label": f"Hộ Khe Có {i}"} for i in range(15)]
    await post(client, "/v1/branches/VL-KC/households", {"households": households})
    await post(client, "/v1/branches/VL-KC/plans/2024", {})
    await post(
        client,
        "/v1/branches/VL-KC/plans/2024/assignments",
        {
            "assignments": [
                {"member_id": m, "household_ids": [f"kc{5 * i + j}" for j in range(5)]}
                for i, m in enumerate(khe_co)
            ]
        },
    )

    await post(
        client, "/v1/units/VL-KC/merger", {"into_unit_id": "VL-TT", "valid_from": "2024-09-01"}
    )

    assert (
        await pool.fetchval(
            "SELECT count(*) FROM members WHERE member_id = ANY($1) AND branch_id = 'VL-TT'", khe_co
        )
        == 3
    )
    merged = await pool.fetchrow(
        "SELECT dissolved_on, merged_into FROM org_units WHERE unit_id = 'VL-KC'"
    )
    assert merged["merged_into"] == "VL-TT"
    coverage = (await client.get("/v1/branches/VL-TT/plans/2024/coverage")).json()
    assert coverage["members"] == "37/40"  # the newcomers hold nothing here yet
    assert coverage["households"] == "207/222"  # Khe Có's 15 households joined the area
    old = (await client.get("/v1/branches/VL-KC/plans/2024/coverage")).json()
    assert {r["reason"] for r in old["released"]} == {"transferred"}

    for unit_id, kind, parent in [("VL2", "grassroots", "VB"), ("B2", "branch", "VL2")]:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": unit_id,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        await post(client, "/v1/units", body)
    await post(client, "/v1/units/VL2/merger", {"into_unit_id": "VL", "valid_from": "2025-07-01"})
    assert await pool.fetchval("SELECT path FROM org_units WHERE unit_id = 'B2'") == [
        "LC",
        "VB",
        "VL",
        "B2",
    ]
    wrong_kind = await client.post(
        "/v1/units/VL-TT/merger", json={"into_unit_id": "VL", "valid_from": "2025-07-01"}
    )
    assert wrong_kind.json()["code"] == "invalid_merge"
    await assert_on_the_wire(service, {"org_unit_merged", "org_unit_moved", "member_transferred"})
