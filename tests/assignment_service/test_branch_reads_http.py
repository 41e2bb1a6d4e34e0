"""The reads the web app lists a branch with, over HTTP on the Võ Lao demo data (seed 000):
its members on a day in Vietnamese name order, the organisation tree, its households with
their holders, and a year's plan, each naming people by name; each logged as a read of
personal data where it names people; refused to a secretary of another branch."""

from __future__ import annotations

from typing import Any

from signin import bearer

from chibo_chassis.auth import Role
from chibo_tools.demo.assignment import BRANCH, PLAN, YEAR, VoLao, seed_vo_lao

from .conftest import Service
from .test_vo_lao_http import post

KHE_CO_SECRETARY = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-KC")
VO_LAO_SECRETARY = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-TT")
# Registered beside the demo's "Đảng viên 01".."41", in the order a Vietnamese list gives.
PLAN_OF = f"plans/{YEAR}"
NAMED = ["Nguyễn Văn An", "Lê Thị Ánh", "Trần Văn Ân", "Lò Văn Dũng", "Hoàng Văn Đức"]


async def seeded(service: Service) -> VoLao:
    found = await seed_vo_lao(service.client)
    assert found is not None
    return found


async def get(service: Service, url: str, **kwargs: Any) -> Any:
    response = await service.client.get(url, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


async def logged_subjects(service: Service, route: str) -> list[list[str]]:
    rows = await service.runtime.pool.fetch(
        "SELECT subjects FROM personal_data_reads WHERE route = $1 ORDER BY id", route
    )
    return [list(r["subjects"]) for r in rows]


async def test_the_members_list_gives_names_cards_and_standing_on_the_day_in_vietnamese_order(
    service: Service,
) -> None:
    vo_lao = await seeded(service)
    client = service.client
    for i, name in enumerate(reversed(NAMED)):
        body = {
            "full_name": name,
            "branch_id": BRANCH,
            "admission_date": "2024-02-03",
            "status": "probationary",
            "card_number": f"{8800000 + i}",
            "birth_date": "1995-01-01",
        }
        await post(client, "/v1/members", body)
    away = vo_lao.members[4]
    stay = {"host_branch_id": "VL-KC", "from_date": "2024-05-01", "to_date": "2024-11-01"}
    await post(client, f"/v1/members/{away}/temporary-attendance", stay)

    listed = await get(service, f"/v1/branches/{BRANCH}/members", params={"on": "2024-06-15"})

    assert (listed["branch_id"], listed["branch_name"]) == (BRANCH, "Chi bộ thị tứ Võ Lao")
    assert listed["on"] == "2024-06-15"
    members = listed["members"]
    names = [m["full_name"] for m in members]
    assert names == [f"Đảng viên {i:02}" for i in range(1, 42)] + NAMED
    exempt, secretary, holder = members[0], members[1], members[4]
    assert exempt == {
        "member_id": vo_lao.members[0],
        "full_name": "Đảng viên 01",
        "card_number": "9900000",
        "admitted_on": "2010-05-19",
        "status": "official",
        "roles": [],
        "standing": "exempt",
        "temporary_attendance": None,
        "committee": False,
    }
    assert (secretary["roles"], secretary["committee"]) == (["secretary"], True)
    assert holder["standing"] == "away"
    assert holder["temporary_attendance"] == {
        "branch_id": "VL-KC",
        "branch_name": "Chi bộ thôn Khe Có",
        "from": "2024-05-01",
        "to": "2024-11-01",
    }
    assert members[-1]["status"] == "probationary"
    # The newcomers were admitted in 2024: not yet members on the first day of 2024.
    earlier = await get(service, f"/v1/branches/{BRANCH}/members", params={"on": "2024-01-01"})
    assert len(earlier["members"]) == 41
    assert earlier["members"][4]["standing"] == "active"
    # Each read is logged with the members it named.
    route = "GET /v1/branches/{branch_id}/members"
    assert [len(s) for s in await logged_subjects(service, route)] == [46, 41]


async def test_the_org_tree_nests_the_units_and_leaves_out_dissolved_ones_unless_asked(
    service: Service,
) -> None:
    await seeded(service)
    tree = await get(service, "/v1/org-tree")
    (province,) = tree["roots"]
    assert (province["unit_id"], province["name"], province["kind"]) == (
        "LC",
        "Đảng bộ tỉnh Lào Cai",
        "province",
    )
    (district,) = province["children"]
    (commune,) = district["children"]
    # In Vietnamese order: "thị" before "thôn" (i before o).
    assert [b["name"] for b in commune["children"]] == [
        "Chi bộ thị tứ Võ Lao",
        "Chi bộ thôn Khe Có",
    ]
    assert commune["children"][1] == {
        "unit_id": "VL-KC",
        "name": "Chi bộ thôn Khe Có",
        "kind": "branch",
        "dissolved": False,
        "children": [],
    }
    assert tree["above"] == []  # the province-wide administrator: nothing above the province
    # A branch's secretary sees the units above their branch by name, nearest last.
    own = await get(service, "/v1/org-tree", headers=VO_LAO_SECRETARY)
    assert own["above"] == [
        {"unit_id": "LC", "name": "Đảng bộ tỉnh Lào Cai", "kind": "province"},
        {"unit_id": "VB", "name": "Đảng bộ huyện Văn Bàn", "kind": "district"},
        {"unit_id": "VL", "name": "Đảng bộ xã Võ Lao", "kind": "grassroots"},
    ]

    # The 2025 abolition of districts: the commune then hangs from the province.
    abolition = {"valid_from": "2025-07-01", "reason": "bỏ cấp huyện (2025)"}
    await post(service.client, "/v1/units/VB/dissolution", abolition)
    (province,) = (await get(service, "/v1/org-tree"))["roots"]
    assert [u["unit_id"] for u in province["children"]] == ["VL"]
    kept = await get(service, "/v1/org-tree", params={"dissolved": "true"})
    (district,) = kept["roots"][0]["children"]
    assert (district["unit_id"], district["dissolved"]) == ("VB", True)
    assert [u["unit_id"] for u in district["children"]] == ["VL"]

    # A branch secretary sees their own branch, and nothing around it but, by name, the
    # units above it still standing (the abolished district only when asked for).
    own = await get(service, "/v1/org-tree", headers=VO_LAO_SECRETARY)
    assert [(u["unit_id"], u["children"]) for u in own["roots"]] == [(BRANCH, [])]
    assert [u["name"] for u in own["above"]] == ["Đảng bộ tỉnh Lào Cai", "Đảng bộ xã Võ Lao"]
    with_dissolved = await get(
        service, "/v1/org-tree", params={"dissolved": "true"}, headers=VO_LAO_SECRETARY
    )
    assert [u["unit_id"] for u in with_dissolved["above"]] == ["LC", "VB", "VL"]


async def test_the_households_name_their_label_and_holder_in_the_years_plan(
    service: Service,
) -> None:
    vo_lao = await seeded(service)
    client = service.client
    duties = {
        "groups": [{"group_id": "g-cho", "name": "Nhóm hộ khu chợ", "household_ids": ["h900"]}],
        "routes": [{"id": "r-1", "name": "Tuyến đường liên thôn"}],
        "tasks": [{"id": "lanh-dao", "name": "Lãnh đạo chung"}],
    }
    await post(
        client,
        f"/v1/branches/{BRANCH}/households",
        {"households": [{"household_id": "h900", "label": "Hộ ông Lò Văn Páo"}]},
    )
    await post(client, f"/v1/branches/{BRANCH}/duties", duties)
    committee = vo_lao.members[1:4]
    given = [{"member_id": m, "kind": "task", "target_id": "lanh-dao"} for m in committee]
    given.append({"member_id": vo_lao.members[5], "kind": "group", "target_id": "g-cho"})
    await post(client, f"{PLAN}/duties", {"duties": given})

    area = await get(service, f"/v1/branches/{BRANCH}/households", params={"year": YEAR})

    assert (area["branch_id"], area["year"]) == (BRANCH, YEAR)
    households = {h["household_id"]: h for h in area["households"]}
    assert len(households) == 208
    assert households["h001"] == {
        "household_id": "h001",
        "label": "Hộ số 1",
        "group_id": None,
        "holder": {"member_id": vo_lao.members[4], "full_name": "Đảng viên 05"},
    }
    # Held through its group by the group's holder.
    assert households["h900"]["label"] == "Hộ ông Lò Văn Páo"
    assert households["h900"]["group_id"] == "g-cho"
    assert households["h900"]["holder"]["full_name"] == "Đảng viên 06"
    assert area["groups"] == [
        {
            "group_id": "g-cho",
            "name": "Nhóm hộ khu chợ",
            "household_ids": ["h900"],
            "holder": {"member_id": vo_lao.members[5], "full_name": "Đảng viên 06"},
        }
    ]
    assert area["routes"] == [{"route_id": "r-1", "name": "Tuyến đường liên thôn", "holder": None}]
    (task,) = area["tasks"]
    assert [h["full_name"] for h in task["holders"]] == [
        "Đảng viên 02",
        "Đảng viên 03",
        "Đảng viên 04",
    ]
    # Another year's plan does not exist: nobody holds anything in it.
    later = await get(service, f"/v1/branches/{BRANCH}/households", params={"year": 2030})
    assert {h["holder"] for h in later["households"]} == {None}


async def test_the_years_plan_lists_what_each_member_holds_by_name_and_its_adoption(
    service: Service,
) -> None:
    vo_lao = await seeded(service)
    draft = await get(service, PLAN)
    assert (draft["status"], draft["household_range"], draft["adoption"]) == (
        "draft",
        {"min": 5, "max": 10},
        None,
    )
    by_member = {a["member_id"]: a for a in draft["assignments"]}
    assert len(by_member) == 41  # every serving member, those holding nothing too
    first = by_member[vo_lao.members[4]]
    assert first["full_name"] == "Đảng viên 05"
    assert first["households"][:2] == [
        {"household_id": "h001", "label": "Hộ số 1"},
        {"household_id": "h002", "label": "Hộ số 2"},
    ]
    assert len(first["households"]) == 6
    assert by_member[vo_lao.members[0]]["households"] == []  # exempt
    assert [a["full_name"] for a in draft["assignments"]][:2] == ["Đảng viên 01", "Đảng viên 02"]

    adoption = {"resolution_number": "05-NQ/CB", "adopted_on": "2024-01-20"}
    await post(service.client, f"{PLAN}/adoption", adoption)
    adopted = await get(service, PLAN)
    assert adopted["status"] == "adopted"
    assert adopted["adoption"] == {"resolution": "05-NQ/CB", "date": "2024-01-20"}

    none = await get(service, f"/v1/branches/{BRANCH}/plans/2030")
    assert (none["year"], none["status"], none["household_range"]) == (2030, "none", None)
    assert (none["assignments"], none["adoption"]) == ([], None)
    route = "GET /v1/branches/{branch_id}/plans/{year}"
    assert [len(s) for s in await logged_subjects(service, route)] == [41, 41, 0]


async def test_a_secretary_of_another_branch_is_refused_every_read_of_the_branch(
    service: Service,
) -> None:
    await seeded(service)
    for url in (f"/v1/branches/{BRANCH}/{read}" for read in ("members", "households", PLAN_OF)):
        refused = await service.client.get(url, headers=KHE_CO_SECRETARY)
        assert refused.status_code == 403, (url, refused.text)
        assert refused.json()["detail_vi"]
        allowed = await service.client.get(url, headers=VO_LAO_SECRETARY)
        assert allowed.status_code == 200, (url, allowed.text)
    logged = await service.runtime.pool.fetch(
        "SELECT principal FROM personal_data_reads WHERE principal LIKE '%VL-KC'"
    )
    assert logged == []  # a refused read reads nothing, so logs nothing
