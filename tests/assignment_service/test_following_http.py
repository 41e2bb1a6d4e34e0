"""Mentoring and following from above through the HTTP API; quotas are dated data."""

from __future__ import annotations

from chibo_tools.demo.assignment import PLAN, seed_vo_lao

from .conftest import Service
from .test_vo_lao_http import FOLLOWING_STORY, assert_on_the_wire, post


async def test_mentors_followers_and_quotas_that_change_over_time(service: Service) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    secretary, rank_and_file = seeded.members[1], seeded.members[4:]
    newcomer = await post(
        client,
        "/v1/members",
        {
            "full_name": "Sùng A Dình",
            "branch_id": "VL-TT",
            "admission_date": "2024-02-03",
            "status": "probationary",
            "card_number": "77001234",
            "birth_date": "2001-05-05",
        },
    )
    before = (await client.get(f"{PLAN}/mentors")).json()
    assert before["probationary_without_mentor"] == [newcomer["member_id"]]

    mentees = [newcomer["member_id"], rank_and_file[0]]
    await post(client, f"{PLAN}/mentors", {"mentor_id": secretary, "member_ids": mentees})
    not_committee = await client.post(
        f"{PLAN}/mentors", json={"mentor_id": rank_and_file[1], "member_ids": [rank_and_file[2]]}
    )
    assert not_committee.status_code == 422
    assert not_committee.json()["code"] == "not_on_committee"
    after = (await client.get(f"{PLAN}/mentors")).json()
    assert after == {
        "mentors": [{"mentor_id": secretary, "member_ids": sorted(mentees)}],
        "probationary_without_mentor": [],
    }

    # A district committee member follows both branches of Võ Lao (seed 004: 2+ a year).
    follower = seeded.members[2]
    await post(
        client,
        f"/v1/followers/{follower}/years/2024",
        {"level": "district", "unit_ids": ["VL-TT", "VL-KC"]},
    )
    rows = await service.runtime.pool.fetch(
        "SELECT unit_id, level FROM followings WHERE follower_id = $1 ORDER BY unit_id", follower
    )
    assert [(r["unit_id"], r["level"]) for r in rows] == [
        ("VL-KC", "district"),
        ("VL-TT", "district"),
    ]
    filed = await service.runtime.pool.fetchval(
        "SELECT metadata->'org_path' FROM events WHERE stream_id = $1", f"following-{follower}-2024"
    )
    assert filed == '["LC", "VB", "VL"]'  # under the deepest unit above both branches

    for level, count, since in [
        ("province", 2, "2020-01-01"),
        ("district", 4, "2020-01-01"),
        ("commune", 4, "2020-01-01"),
        ("commune", 6, "2024-01-01"),
    ]:
        body = {"level": level, "meetings_per_year": count, "valid_from": since}
        await post(client, "/v1/units/LC/visit-quotas", body)
    backwards = await client.post(
        "/v1/units/LC/visit-quotas",
        json={"level": "commune", "meetings_per_year": 5, "valid_from": "2023-01-01"},
    )
    assert backwards.json()["code"] == "quota_out_of_order"

    async def quota(on: str) -> dict[str, int]:
        rows = (await client.get("/v1/units/LC/visit-quotas", params={"on": on})).json()
        return {r["level"]: r["meetings_per_year"] for r in rows}

    assert await quota("2023-06-01") == {"province": 2, "district": 4, "commune": 4}
    assert await quota("2024-06-01") == {"province": 2, "district": 4, "commune": 6}
    await assert_on_the_wire(service, FOLLOWING_STORY)
