"""`PUT /v1/members/{member_id}/identity`: the data subject's right to correction (Law
91/2025/QH15 art. 4 cl. 1 c, art. 13), entered by the branch as registrations are. The name
goes to the stream as `member_renamed.v1`, the card number and birth date nowhere but the
service's own store and read models."""

from __future__ import annotations

from typing import Any

from signin import bearer

from chibo_chassis.auth import Role

from .conftest import Service
from .test_member_identity_http import NEWCOMER, build_branch
from .test_vo_lao_http import IDENTITY_STORY, assert_on_the_wire, post

RENAMED = "chibo.assignment.member_renamed.v1"
OTHER = {**NEWCOMER, "full_name": "Giàng A Lử", "card_number": "55009999"}


async def registered(service: Service, body: dict[str, Any] = NEWCOMER) -> str:
    return str((await post(service.client, "/v1/members", body))["member_id"])


async def events(service: Service) -> int:
    return int(await service.runtime.pool.fetchval("SELECT count(*) FROM events"))


async def test_a_corrected_name_and_card_reach_the_read_models_and_only_the_name_the_stream(
    service: Service,
) -> None:
    await build_branch(service)
    member_id = await registered(service)
    body = {"full_name": "Lò Thị Hoà", "card_number": "55004321", "birth_date": "1999-09-19"}
    response = await service.client.put(f"/v1/members/{member_id}/identity", json=body)
    assert response.status_code == 200, response.text
    assert len(response.json()["event_ids"]) == 2  # the renaming and the private correction

    pool = service.runtime.pool
    assert await pool.fetchval("SELECT full_name FROM members WHERE member_id = $1", member_id) == (
        "Lò Thị Hoà"
    )
    card = await pool.fetchrow("SELECT * FROM member_cards WHERE member_id = $1", member_id)
    assert (card["card_number"], card["birth_date"].isoformat()) == ("55004321", "1999-09-19")

    await assert_on_the_wire(service, IDENTITY_STORY)
    renamings = [m for m in service.wire if (m.headers or {}).get("ce-type") == RENAMED]
    assert [(m.headers or {})["ce-subject"] for m in renamings] == [f"member-{member_id}"]
    assert not any(b"55004321" in m.data or b"1999-09-19" in m.data for m in service.wire)


async def test_a_card_another_member_holds_is_refused_naming_them_in_both_languages(
    service: Service,
) -> None:
    await build_branch(service)
    holder = await registered(service)
    other = await registered(service, OTHER)
    before = await events(service)
    refused = await service.client.put(
        f"/v1/members/{other}/identity", json={"card_number": NEWCOMER["card_number"]}
    )
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["code"] == "card_number_taken"
    assert "Lò Thị Hoa" in problem["detail"]
    assert "Lò Thị Hoa" in problem["detail_vi"]
    assert "đã thuộc về đảng viên" in problem["detail_vi"]
    assert (problem["member_id"], problem["full_name"]) == (holder, "Lò Thị Hoa")
    assert await events(service) == before


async def test_an_unknown_member_is_not_found_in_both_languages(service: Service) -> None:
    await build_branch(service)
    response = await service.client.put(
        "/v1/members/nobody/identity", json={"full_name": "Lò Văn Pảo"}
    )
    assert response.status_code == 404, response.text
    problem = response.json()
    assert "member" in problem["detail"]
    assert "không tìm thấy" in problem["detail_vi"]
    assert "đảng viên" in problem["detail_vi"]


async def test_a_secretary_of_another_branch_may_not_correct_the_member(
    service: Service,
) -> None:
    await build_branch(service)
    await post(
        service.client,
        "/v1/units",
        {
            "unit_id": "VL-KC",
            "kind": "branch",
            "name": "Chi bộ thôn Khe Cam",
            "parent_id": "VL",
            "valid_from": "2020-01-01",
        },
    )
    member_id = await registered(service)
    correction = {"full_name": "Lò Thị Hoà"}
    url = f"/v1/members/{member_id}/identity"
    next_door = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-KC")
    refused = await service.client.put(url, json=correction, headers=next_door)
    assert refused.status_code == 403, refused.text
    own = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-TT")
    allowed = await service.client.put(url, json=correction, headers=own)
    assert allowed.status_code == 200, allowed.text


async def test_a_correction_sent_again_with_its_key_is_answered_the_same_and_stored_once(
    service: Service,
) -> None:
    await build_branch(service)
    member_id = await registered(service)
    before = await events(service)
    url, key = f"/v1/members/{member_id}/identity", {"Idempotency-Key": '"sua-ten-1"'}
    first = await service.client.put(url, json={"full_name": "Lò Thị Hoà"}, headers=key)
    again = await service.client.put(url, json={"full_name": "Lò Thị Hoà"}, headers=key)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again.headers.get("idempotency-replayed") == "true"
    assert await events(service) == before + 1
