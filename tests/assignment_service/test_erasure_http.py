"""`POST /v1/members/{member_id}/erasure` over HTTP: a serving member's erasure refused in
both languages, naming them and saying why, nothing stored; a former member's erased, the
tombstone on the wire with identifiers and closed values only, the read models scrubbed and
the same answer when it is sent again."""

from __future__ import annotations

import json
from datetime import datetime

from signin import bearer

from chibo_chassis.auth import Role
from chibo_kernel.clock import VIETNAM

from .conftest import Service
from .test_member_identity_http import NEWCOMER, build_branch
from .test_vo_lao_http import ERASURE_STORY, assert_on_the_wire, post

ERASED = "chibo.assignment.member_erased.v1"
REQUEST = {"basis": "subject_request"}


async def test_a_serving_member_is_refused_by_name_and_nothing_is_stored(
    service: Service,
) -> None:
    await build_branch(service)
    member_id = (await post(service.client, "/v1/members", NEWCOMER))["member_id"]
    pool = service.runtime.pool
    before = await pool.fetchval("SELECT count(*) FROM events")

    refused = await service.client.post(f"/v1/members/{member_id}/erasure", json=REQUEST)

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == "erasure_record_open"
    assert "Lò Thị Hoa" in problem["detail"]
    assert "Lò Thị Hoa" in problem["detail_vi"]
    assert "chưa khép lại" in problem["detail_vi"]
    assert await pool.fetchval("SELECT count(*) FROM events") == before
    secretary = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-TT")
    url = f"/v1/members/{member_id}/erasure"
    assert (await service.client.post(url, json=REQUEST, headers=secretary)).status_code == 403


async def test_a_former_members_erasure_publishes_a_tombstone_of_ids_and_answers_again(
    service: Service,
) -> None:
    await build_branch(service)
    member_id = (await post(service.client, "/v1/members", NEWCOMER))["member_id"]
    departure = {"on": "2020-06-01", "reason": "chuyển đi nơi khác"}
    await post(service.client, f"/v1/members/{member_id}/departure", departure)

    first = await post(service.client, f"/v1/members/{member_id}/erasure", REQUEST)
    again = await post(service.client, f"/v1/members/{member_id}/erasure", REQUEST)

    assert again == first
    await assert_on_the_wire(service, ERASURE_STORY)
    (tombstone,) = [m for m in service.wire if (m.headers or {}).get("ce-type") == ERASED]
    assert json.loads(tombstone.data) == {
        "member_id": member_id,
        "branch_id": "VL-TT",
        "erased_on": datetime.now(VIETNAM).date().isoformat(),
        "basis": "subject_request",
    }
    pool = service.runtime.pool
    row = await pool.fetchrow("SELECT full_name FROM members WHERE member_id = $1", member_id)
    assert row["full_name"] == "đã xóa"
