"""Thôn Cây Chanh (seed 001): 12 members, each given a household group or a route; a shared
propaganda task; a transfer releases the member's group and task at once."""

from __future__ import annotations

from .conftest import Service
from .test_vo_lao_http import DUTY_STORY, assert_on_the_wire, post

BRANCH = "CC"
PLAN = f"/v1/branches/{BRANCH}/plans/2024"


async def build_cay_chanh(service: Service) -> list[str]:
    client = service.client
    for unit_id, kind, parent in [
        ("TQ", "province", None),
        ("YS", "district", "TQ"),
        ("CY", "grassroots", "YS"),
        (BRANCH, "branch", "CY"),
        ("TQN", "branch", "CY"),
    ]:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": f"Đơn vị {unit_id}",
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        await post(client, "/v1/units", body)
    members = [
        (
            await post(
                client,
                "/v1/members",
                {
                    "full_name": f"Đảng viên Cây Chanh {i + 1}",
                    "branch_id": BRANCH,
                    "admission_date": "2012-02-03",
                    "card_number": f"{5500000 + i}",
                    "birth_date": "1978-08-19",
                },
            )
        )["member_id"]
        for i in range(12)
    ]
    households = [{"household_id": f"cc{i:02}", "label": f"Hộ {i}"} for i in range(60)]
    await post(client, f"/v1/branches/{BRANCH}/households", {"households": households})
    ids = [h["household_id"] for h in households]
    sizes, groups, start = [7, 7, 7, 7, 8, 8, 8, 8], [], 0
    for n, size in enumerate(sizes):
        groups.append(
            {
                "group_id": f"g{n + 1}",
                "name": f"Nhóm hộ {n + 1}",
                "household_ids": ids[start : start + size],
            }
        )
        start += size
    await post(
        client,
        f"/v1/branches/{BRANCH}/duties",
        {
            "groups": groups,
            "routes": [{"id": f"r{n}", "name": f"Tuyến đường liên thôn {n}"} for n in range(1, 5)],
            "tasks": [{"id": "tuyen-truyen", "name": "Tuyên truyền xây dựng nông thôn mới"}],
        },
    )
    await post(client, PLAN, {})
    return members


def cay_chanh_duties(members: list[str]) -> list[dict[str, str]]:
    """Eight members each take a household group, four a route; two share the task."""
    duties = [
        {"member_id": m, "kind": "group", "target_id": f"g{i + 1}"}
        for i, m in enumerate(members[:8])
    ]
    duties += [
        {"member_id": m, "kind": "route", "target_id": f"r{i + 1}"}
        for i, m in enumerate(members[8:])
    ]
    return duties + [
        {"member_id": m, "kind": "task", "target_id": "tuyen-truyen"} for m in members[:2]
    ]


async def test_groups_routes_and_a_shared_task_cover_the_branch(service: Service) -> None:
    client = service.client
    members = await build_cay_chanh(service)
    duties = cay_chanh_duties(members)
    await post(client, f"{PLAN}/duties", {"duties": duties})

    coverage = (await client.get(f"{PLAN}/coverage")).json()
    assert (coverage["members"], coverage["households"]) == ("12/12", "60/60")

    taken = await client.post(
        f"{PLAN}/duties",
        json={"duties": [{"member_id": members[9], "kind": "group", "target_id": "g1"}]},
    )
    assert taken.json()["code"] == "duty_taken"
    inside_group = await client.post(
        f"{PLAN}/assignments",
        json={"assignments": [{"member_id": members[9], "household_ids": ["cc00"]}]},
    )
    assert inside_group.json()["code"] == "households_taken"

    await post(
        client, f"/v1/members/{members[0]}/transfer", {"to_branch_id": "TQN", "on": "2024-05-01"}
    )
    after = (await client.get(f"{PLAN}/coverage")).json()
    assert after["members"] == "11/11"
    assert after["households"] == "53/60"  # group g1's 7 households are nobody's now
    assert sorted((d["duty"], d["reason"]) for d in after["released_duties"]) == [
        ("group:g1", "transferred"),
        ("task:tuyen-truyen", "transferred"),
    ]
    await assert_on_the_wire(service, DUTY_STORY - {"household_range_set"})


async def test_one_report_a_month_for_each_assignment_held(service: Service) -> None:
    client = service.client
    members = await build_cay_chanh(service)
    duties = cay_chanh_duties(members)
    await post(client, f"{PLAN}/duties", {"duties": duties})
    reports = [
        {
            "member_id": d["member_id"],
            "assignment": f"{d['kind']}:{d['target_id']}",
            "situation": "Ổn định",
            "submitted_on": "2024-03-25",
        }
        for d in duties[:-1]  # the second task share has not reported
    ]
    month_url = f"/v1/branches/{BRANCH}/reports/2024-03"
    await post(client, month_url, {"reports": reports})

    month = (await client.get(month_url)).json()
    assert month["reported"] == "13/14"
    assert month["missing"] == [f"{members[1]} task:tuyen-truyen"]
    not_held = await client.post(
        month_url,
        json={
            "reports": [
                {
                    "member_id": members[9],
                    "assignment": "group:g1",
                    "situation": "Ổn định",
                    "submitted_on": "2024-03-25",
                }
            ]
        },
    )
    assert not_held.json()["code"] == "not_assigned"


async def test_a_plan_without_its_own_range_takes_the_provinces_policy(service: Service) -> None:
    client, pool = service.client, service.runtime.pool
    members = await build_cay_chanh(service)  # Cây Chanh's 2024 plan: the default 5-10
    policy = {"min_households": 2, "max_households": 3, "valid_from": "2024-01-01"}
    await post(client, "/v1/units/TQ/household-range", policy)
    await post(client, "/v1/branches/TQN/plans/2024", {})
    ranges = dict(
        (r["plan_id"], (r["min_households"], r["max_households"]))
        for r in await pool.fetch("SELECT plan_id, min_households, max_households FROM plans")
    )
    assert ranges == {"CC-2024": (5, 10), "TQN-2024": (2, 3)}

    await post(
        client, f"/v1/members/{members[11]}/transfer", {"to_branch_id": "TQN", "on": "2024-02-01"}
    )
    await post(
        client,
        "/v1/branches/TQN/households",
        {"households": [{"household_id": f"t{i}", "label": f"Hộ {i}"} for i in range(5)]},
    )
    await post(
        client,
        "/v1/branches/TQN/plans/2024/assignments",
        {"assignments": [{"member_id": members[11], "household_ids": [f"t{i}" for i in range(5)]}]},
    )
    assert await pool.fetchval(
        "SELECT bool_and(out_of_range) FROM plan_assignments WHERE plan_id = 'TQN-2024'"
    )  # five households against a 2-3 policy: allowed, and recorded
    half = await client.post("/v1/branches/TQN/plans/2025", json={"min_households": 4})
    assert half.json()["code"] == "invalid_range"
    await assert_on_the_wire(service, {"household_range_set"})
