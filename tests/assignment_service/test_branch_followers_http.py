"""Who follows a branch from above, over HTTP on the Võ Lao demo data (seed 000) with a
second commune beside it: the higher committee members following the branch or a unit
above it in a year, by name, with their level and the unit they follow; logged as a read of
personal data; refused to a secretary of another branch."""

from __future__ import annotations

from typing import Any

from signin import bearer

from chibo_chassis.auth import Role
from chibo_tools.demo.assignment import BRANCH, seed_vo_lao

from .conftest import Service
from .test_vo_lao_http import post

KHE_CO_SECRETARY = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-KC")
VO_LAO_SECRETARY = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-TT")
FOLLOWERS = f"/v1/branches/{BRANCH}/followers"
ROUTE = "GET /v1/branches/{branch_id}/followers"


async def register(service: Service, name: str, branch: str, card: str) -> str:
    body = {
        "full_name": name,
        "branch_id": branch,
        "admission_date": "2008-03-03",
        "card_number": card,
        "birth_date": "1970-01-01",
    }
    member_id: str = (await post(service.client, "/v1/members", body))["member_id"]
    return member_id


async def follow(service: Service, member: str, year: int, level: str, units: list[str]) -> None:
    body = {"level": level, "unit_ids": units}
    await post(service.client, f"/v1/followers/{member}/years/{year}", body)


async def followers(service: Service, branch: str, year: int, **kwargs: Any) -> Any:
    response = await service.client.get(
        f"/v1/branches/{branch}/followers", params={"year": year}, **kwargs
    )
    assert response.status_code == 200, response.text
    return response.json()


async def two_communes(service: Service) -> dict[str, str]:
    """Võ Lao with a commune follower; Nậm Xé beside it with its own; a province follower
    of both who also follows the Võ Lao branch itself."""
    assert await seed_vo_lao(service.client) is not None
    for unit_id, kind, name, parent in [
        ("NX", "grassroots", "Đảng bộ xã Nậm Xé", "VB"),
        ("NX-A", "branch", "Chi bộ thôn Nậm Xé", "NX"),
    ]:
        unit = {"unit_id": unit_id, "kind": kind, "name": name, "parent_id": parent}
        await post(service.client, "/v1/units", {**unit, "valid_from": "2020-01-01"})
    people = {
        "commune": await register(service, "Lò Thị Hoa", "VL-KC", "66000001"),
        "other_commune": await register(service, "Vàng A Sử", "NX-A", "66000002"),
        "province": await register(service, "Giàng Seo Phủ", "VL-KC", "66000003"),
    }
    await follow(service, people["commune"], 2026, "commune", ["VL"])
    await follow(service, people["other_commune"], 2026, "commune", ["NX"])
    await follow(service, people["province"], 2026, "province", ["LC", BRANCH])
    return people


async def test_a_follower_of_the_commune_is_listed_for_its_branch_with_name_and_level(
    service: Service,
) -> None:
    people = await two_communes(service)

    listed = await followers(service, BRANCH, 2026)

    assert (listed["branch_id"], listed["year"]) == (BRANCH, 2026)
    # In Vietnamese name order (the given name: Hoa before Phủ); the follower of the other
    # commune is not there; the province follower once, with the nearest unit they follow.
    assert listed["followers"] == [
        {
            "member_id": people["commune"],
            "full_name": "Lò Thị Hoa",
            "level": "commune",
            "unit_id": "VL",
            "unit_name": "Đảng bộ xã Võ Lao",
        },
        {
            "member_id": people["province"],
            "full_name": "Giàng Seo Phủ",
            "level": "province",
            "unit_id": BRANCH,
            "unit_name": "Chi bộ thị tứ Võ Lao",
        },
    ]
    other = await followers(service, "NX-A", 2026)
    assert [(f["full_name"], f["unit_id"]) for f in other["followers"]] == [
        ("Giàng Seo Phủ", "LC"),
        ("Vàng A Sử", "NX"),
    ]
    # Followings are yearly: nobody follows Võ Lao in 2025.
    assert (await followers(service, BRANCH, 2025))["followers"] == []
    # Each read is logged with the members it named.
    rows = await service.runtime.pool.fetch(
        "SELECT subjects, purpose FROM personal_data_reads WHERE route = $1 ORDER BY id", ROUTE
    )
    assert [sorted(r["subjects"]) for r in rows] == [
        sorted([people["commune"], people["province"]]),
        sorted([people["other_commune"], people["province"]]),
        [],
    ]
    assert {r["purpose"] for r in rows} == {"monthly_meeting"}


async def test_the_secretary_of_another_branch_is_refused_the_followers_of_the_branch(
    service: Service,
) -> None:
    await two_communes(service)
    refused = await service.client.get(FOLLOWERS, headers=KHE_CO_SECRETARY)
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail_vi"]
    assert "Lò Thị Hoa" not in refused.text
    own = await followers(service, BRANCH, 2026, headers=VO_LAO_SECRETARY)
    assert [f["full_name"] for f in own["followers"]] == ["Lò Thị Hoa", "Giàng Seo Phủ"]
    unknown = await service.client.get("/v1/branches/NOWHERE/followers")
    assert unknown.status_code == 404, unknown.text
    logged = await service.runtime.pool.fetch(
        "SELECT principal FROM personal_data_reads WHERE principal LIKE '%VL-KC'"
    )
    assert logged == []  # a refused read reads nothing, so logs nothing
