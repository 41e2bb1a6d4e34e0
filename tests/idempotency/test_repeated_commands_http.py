"""Commands sent twice through HTTP, on the real stack: with an Idempotency-Key the repeat
answers the first answer and stores nothing; the same key with another body is refused and
changes nothing; without a key, a repeat the domain recognises stores nothing either."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from assignment_service.conftest import Service
from attendance_service.branch import BRANCH, create_units, register
from attendance_service.conftest import Both
from signin import token

from chibo_chassis.auth import Role

EXEMPTION = {"from_date": "2025-03-01", "to_date": "2025-08-31", "reason": "ốm dài ngày"}


async def events(service: Service | Any) -> int:
    return int(await service.runtime.pool.fetchval("SELECT count(*) FROM events"))


async def keys(service: Service | Any) -> int:
    return int(await service.runtime.pool.fetchval("SELECT count(*) FROM idempotency_keys"))


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": f'"{key}"'}


async def post(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    return await client.post(url, json=body, headers=keyed(key) if key else None)


async def a_member(assignment: Service) -> str:
    await create_units(assignment)
    return await register(assignment, 1)


async def test_a_repeat_with_the_key_answers_the_first_answer_and_stores_nothing(
    both: Both,
) -> None:
    assignment = both.assignment
    member = await a_member(assignment)
    url, key = f"/v1/members/{member}/exemption", uuid.uuid4().hex

    first = await post(assignment.client, url, EXEMPTION, key)
    stored = await events(assignment)
    again = await post(assignment.client, url, {**EXEMPTION}, key)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["idempotency-replayed"] == "true"
    assert await events(assignment) == stored
    assert await keys(assignment) == 1


async def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
    both: Both,
) -> None:
    assignment = both.assignment
    member = await a_member(assignment)
    url, key = f"/v1/members/{member}/suspension", uuid.uuid4().hex
    body = {"from_date": "2025-03-01", "reason": "vi phạm kỷ luật"}
    assert (await post(assignment.client, url, body, key)).status_code == 201
    stored = await events(assignment)

    other = await post(assignment.client, url, {**body, "from_date": "2025-04-01"}, key)

    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    problem = other.json()
    assert problem["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in problem["detail"]
    assert "khóa" in problem["detail_vi"]
    assert await events(assignment) == stored


async def test_keys_are_per_principal_so_another_user_runs_their_own_command(
    both: Both,
) -> None:
    assignment = both.assignment
    member = await a_member(assignment)
    url, key = f"/v1/members/{member}/exemption", uuid.uuid4().hex
    first = await post(assignment.client, url, EXEMPTION, key)
    secretary = {"Authorization": f"Bearer {token(Role.BRANCH_SECRETARY, 'LC.VB.VL.VL-TT')}"}

    theirs = await assignment.client.post(url, json=EXEMPTION, headers={**secretary, **keyed(key)})

    assert theirs.status_code == 201, theirs.text
    assert "idempotency-replayed" not in theirs.headers
    assert theirs.json() != first.json()  # not the administrator's answer
    assert theirs.json()["event_ids"] == []  # the exemption is held already: nothing new
    assert await keys(assignment) == 2


async def test_a_refused_command_is_not_kept_and_runs_again_when_repeated(both: Both) -> None:
    """The chosen rule: only successful answers are kept; a refusal changed nothing."""
    assignment = both.assignment
    member = await a_member(assignment)
    url, key = f"/v1/members/{member}/exemption", uuid.uuid4().hex
    backwards = {**EXEMPTION, "to_date": "2025-01-01"}

    first = await post(assignment.client, url, backwards, key)
    again = await post(assignment.client, url, backwards, key)

    assert (first.status_code, first.json()["code"]) == (422, "invalid_period")
    assert (again.status_code, again.json()["code"]) == (422, "invalid_period")
    assert "idempotency-replayed" not in again.headers
    assert await keys(assignment) == 0


async def test_standing_sent_twice_without_a_key_is_stored_once(both: Both) -> None:
    assignment = both.assignment
    member = await a_member(assignment)
    await create_units(assignment, [("VL-XX", "branch", "Chi bộ thôn Xuân", "VL")])
    commands = [
        (f"/v1/members/{member}/exemption", EXEMPTION),
        (f"/v1/members/{member}/suspension", {"from_date": "2025-09-01", "reason": "kỷ luật"}),
        (
            f"/v1/members/{member}/temporary-attendance",
            {"host_branch_id": "VL-XX", "from_date": "2025-01-01", "to_date": "2025-06-30"},
        ),
    ]
    for url, body in commands:
        first = await post(assignment.client, url, body)
        stored = await events(assignment)
        again = await post(assignment.client, url, body)

        assert first.status_code == 201, first.text
        assert first.json()["event_ids"], url
        assert (again.status_code, again.json()["event_ids"]) == (201, []), url
        assert await events(assignment) == stored, url


async def test_a_retried_registration_answers_the_first_answer(both: Both) -> None:
    assignment = both.assignment
    await create_units(assignment)
    body = {
        "full_name": "Lò Văn Sáng",
        "branch_id": BRANCH,
        "admission_date": "2010-05-19",
        "card_number": "88123456",
        "birth_date": "1970-01-01",
    }
    first = await post(assignment.client, "/v1/members", body)
    stored = await events(assignment)

    again = await post(assignment.client, "/v1/members", body)
    keyed_once = await post(assignment.client, "/v1/members", body, uuid.uuid4().hex)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (201, first.json())
    assert (keyed_once.status_code, keyed_once.json()) == (201, first.json())
    assert await events(assignment) == stored


async def test_a_card_number_already_held_is_refused_naming_its_member(both: Both) -> None:
    assignment = both.assignment
    await create_units(assignment)
    holder = await register(assignment, 7)
    stored = await events(assignment)
    body = {
        "full_name": "Hoàng Thị Lan",
        "branch_id": BRANCH,
        "admission_date": "2012-02-03",
        "card_number": "8800007",
        "birth_date": "1980-06-01",
    }

    refused = await post(assignment.client, "/v1/members", body)

    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "card_number_taken"
    assert problem["member_id"] == holder
    assert "8800007" in problem["detail"]
    assert "Đảng viên 007" in problem["detail"]
    assert "số thẻ 8800007" in problem["detail_vi"]
    assert holder not in problem["detail_vi"] + problem["detail"]  # named, never by id
    assert "version" not in problem["detail"]
    assert await events(assignment) == stored


async def test_a_meeting_scheduled_twice_with_one_key_is_one_meeting(both: Both) -> None:
    await create_units(both.assignment)
    await register(both.assignment, 1)
    attendance = both.attendance
    await attendance.roster_has(BRANCH, "2025-01-01", 1)
    body = {"kind": "regular", "scheduled_for": "2025-03-05T19:30:00+07:00", "place": "Nhà văn hóa"}
    url, key = f"/v1/branches/{BRANCH}/meetings", uuid.uuid4().hex

    first = await post(attendance.client, url, body, key)
    stored = await events(attendance)
    again = await post(attendance.client, url, body, key)

    assert first.status_code == 201, first.text
    assert (again.status_code, again.json()) == (201, first.json())
    assert await events(attendance) == stored

    chosen = {**body, "scheduled_for": "2025-04-02T19:30:00+07:00", "meeting_id": "m-2025-04"}
    once = await post(attendance.client, url, chosen)
    stored = await events(attendance)
    twice = await post(attendance.client, url, chosen)

    assert once.status_code == 201, once.text
    assert (twice.status_code, twice.json()["meeting_id"]) == (201, "m-2025-04")
    assert twice.json()["event_ids"] == []
    assert await events(attendance) == stored


async def test_two_requests_with_one_key_at_once_have_one_effect(both: Both) -> None:
    assignment = both.assignment
    member = await a_member(assignment)
    stored = await events(assignment)
    url, key = f"/v1/members/{member}/exemption", uuid.uuid4().hex

    answers = await asyncio.gather(*(post(assignment.client, url, EXEMPTION, key) for _ in "ab"))

    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert answers[0].json() == answers[1].json()
    assert await events(assignment) == stored + 2  # the exemption and its reason, kept beside


async def test_a_malformed_key_is_refused_in_both_languages_before_anything_runs(
    both: Both,
) -> None:
    assignment = both.assignment
    member = await a_member(assignment)
    stored = await events(assignment)

    refused = await assignment.client.post(
        f"/v1/members/{member}/exemption", json=EXEMPTION, headers={"Idempotency-Key": "a b"}
    )

    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_idempotency_key"
    assert "Idempotency-Key" in refused.json()["detail_vi"]
    assert await events(assignment) == stored
