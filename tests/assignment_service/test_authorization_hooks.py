"""Every command asks the policy with the signed-in principal, the permission and the
organisation path, before any rule runs; the token's subject is what the events record."""

from __future__ import annotations

import json

from signin import bearer

from chibo_chassis.auth import Role

from .conftest import Service

KHE_CO = "LC.VB.VL.VL-KC"


async def test_a_secretary_writes_in_their_branch_and_is_refused_next_door(
    service: Service,
) -> None:
    client = service.client  # a province-wide administrator
    for unit_id, kind, parent in [
        ("LC", "province", None),
        ("VB", "district", "LC"),
        ("VL", "grassroots", "VB"),
        ("VL-TT", "branch", "VL"),
        ("VL-KC", "branch", "VL"),
    ]:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": unit_id,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        assert (await client.post("/v1/units", json=body)).status_code == 201

    secretary = bearer(Role.BRANCH_SECRETARY, KHE_CO)
    household = {"households": [{"household_id": "h1", "label": "Hộ ông Páo"}]}
    next_door = await client.post(
        "/v1/branches/VL-TT/households", json=household, headers=secretary
    )
    own = await client.post("/v1/branches/VL-KC/households", json=household, headers=secretary)
    twice = await client.post("/v1/branches/VL-KC/households", json=household, headers=secretary)
    garbage = await client.post("/v1/branches/VL-TT/households", json={}, headers=secretary)

    assert next_door.status_code == 403
    assert next_door.headers["content-type"].startswith("application/problem+json")
    assert next_door.json()["code"] == "forbidden"
    assert next_door.json()["detail_vi"] == (
        f"{Role.BRANCH_SECRETARY}@{KHE_CO} không có quyền branch_work tại LC/VB/VL/VL-TT"
    )
    assert own.status_code == 201
    # A rule broken in one's own branch is a 422; next door the answer is 403 whatever the
    # body holds, so a refusal never reveals state outside the caller's subtree.
    assert twice.status_code == 422
    assert garbage.status_code == 403
    rows = await service.runtime.pool.fetch(
        "SELECT stream_id, metadata FROM events WHERE stream_id LIKE 'area-%'"
    )
    assert [
        (r["stream_id"], json.loads(r["metadata"])["actor"], json.loads(r["metadata"])["role"])
        for r in rows
    ] == [("area-VL-KC", f"{Role.BRANCH_SECRETARY}@{KHE_CO}", "branch_secretary")]
