"""2025: districts abolished. The commune moves under the province, the district is
dissolved, and the past keeps the paths it was filed under."""

from __future__ import annotations

from assignment.entrypoints.demo import seed_vo_lao

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
    await assert_on_the_wire(service, MOVE_STORY)
    subjects = {m.subject for m in service.wire}
    assert "chibo.assignment.member.member_registered.v1.LC.VL.VL-TT._" in subjects
    assert "chibo.assignment.member.member_registered.v1.LC.VB.VL.VL-TT._" in subjects
