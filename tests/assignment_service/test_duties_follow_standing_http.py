"""Duties follow standing: an exempt or suspended member is given no households or tasks,
and is refused by name; a member who goes to attend another branch for a time (sinh hoạt
tạm thời, also how working far away is recorded) leaves households and duties for the
branch to reassign; coverage counts nothing such a member still holds."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from chibo_tools.demo.assignment import BRANCH, PLAN, seed_vo_lao

from .conftest import Service
from .test_duties_http import PLAN as CAY_CHANH_PLAN
from .test_duties_http import build_cay_chanh, cay_chanh_duties
from .test_vo_lao_http import post


async def count_events(service: Service) -> int:
    return int(await service.runtime.pool.fetchval("SELECT count(*) FROM events"))


async def test_households_for_an_exempt_member_are_refused_by_name_and_change_nothing(
    service: Service,
) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    exempt = seeded.members[0]  # "Đảng viên 01", exempt since 2023 (tuổi cao, sức yếu)
    new_household = {"households": [{"household_id": "h900", "label": "Hộ mới"}]}
    await post(client, f"/v1/branches/{BRANCH}/households", new_household)
    before = await count_events(service)

    refused = await client.post(
        f"{PLAN}/assignments",
        json={"assignments": [{"member_id": exempt, "household_ids": ["h900"]}]},
    )

    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == "member_exempt"
    assert "member Đảng viên 01 is exempt from work and meetings" in problem["detail"]
    assert "Đảng viên 01 được miễn công tác và sinh hoạt đảng" in problem["detail_vi"]
    assert await count_events(service) == before
    coverage = (await client.get(f"{PLAN}/coverage")).json()
    assert coverage["households"] == "207/208"
    assert coverage["households_without_member"] == ["h900"]


async def test_a_duty_for_a_suspended_member_is_refused_with_the_whole_command(
    service: Service,
) -> None:
    client = service.client
    members = await build_cay_chanh(service)
    await post(
        client,
        f"/v1/members/{members[11]}/suspension",
        {"from_date": "2024-03-01", "reason": "đang bị xem xét kỷ luật"},
    )
    before = await count_events(service)

    refused = await client.post(
        f"{CAY_CHANH_PLAN}/duties", json={"duties": cay_chanh_duties(members)}
    )

    assert refused.status_code == 422
    assert refused.json()["code"] == "member_suspended"
    assert "Đảng viên Cây Chanh 12 bị đình chỉ sinh hoạt đảng" in refused.json()["detail_vi"]
    assert await count_events(service) == before  # the other eleven were not given theirs


async def test_a_plan_sheet_refuses_the_row_of_an_exempt_member_by_name(
    service: Service, tmp_path: Path
) -> None:
    client = service.client
    members = await build_cay_chanh(service)
    await post(
        client,
        f"/v1/members/{members[0]}/exemption",
        {"from_date": "2024-01-01", "reason": "ốm dài ngày"},
    )
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Số thẻ đảng viên", "Nhóm hộ", "Tuyến đường"])
    sheet.append(["5500000", "g1", ""])  # Đảng viên Cây Chanh 1, exempt
    sheet.append(["5500001", "g2", ""])
    path = tmp_path / "ke-hoach-2024.xlsx"
    book.save(path)

    response = await client.post(
        f"{CAY_CHANH_PLAN}/assignments/import",
        params={"filename": path.name},
        content=path.read_bytes(),
    )

    # The sheet is taken whole: the exempt member's row refuses it, naming them.
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "sheet_refused"
    (error,) = problem["rows"]
    assert (error["row"], error["full_name"]) == (2, "Đảng viên Cây Chanh 1")
    assert "Đảng viên Cây Chanh 1 is exempt" in error["detail"]
    assert "Đảng viên Cây Chanh 1 được miễn công tác" in error["detail_vi"]
    coverage = (await client.get(f"{CAY_CHANH_PLAN}/coverage")).json()
    assert coverage["members"] == "0/11"


async def test_temporary_attendance_elsewhere_releases_households_and_duties_to_reassign(
    service: Service,
) -> None:
    client = service.client
    members = await build_cay_chanh(service)
    await post(client, f"{CAY_CHANH_PLAN}/duties", {"duties": cay_chanh_duties(members)})
    next_plan = "/v1/branches/CC/plans/2025"
    await post(client, next_plan, {})
    await post(
        client,
        f"{next_plan}/assignments",
        {"assignments": [{"member_id": members[0], "household_ids": ["cc58", "cc59"]}]},
    )
    away = {"host_branch_id": "TQN", "from_date": "2024-10-01", "to_date": "2025-03-31"}

    await post(client, f"/v1/members/{members[0]}/temporary-attendance", away)

    coverage = (await client.get(f"{CAY_CHANH_PLAN}/coverage")).json()
    assert coverage["households"] == "53/60"  # group g1's 7 households wait for someone
    assert coverage["members"] == "11/11"  # away on 31/12/2024: not counted at home
    assert sorted((d["duty"], d["reason"]) for d in coverage["released_duties"]) == [
        ("group:g1", "transferred"),
        ("task:tuyen-truyen", "transferred"),
    ]
    following = (await client.get(f"{next_plan}/coverage")).json()
    assert sorted((r["household_id"], r["reason"]) for r in following["released"]) == [
        ("cc58", "transferred"),
        ("cc59", "transferred"),
    ]
    given_back = await client.post(
        f"{CAY_CHANH_PLAN}/duties",
        json={"duties": [{"member_id": members[0], "kind": "group", "target_id": "g1"}]},
    )
    assert given_back.status_code == 422
    assert given_back.json()["code"] == "member_away"
    away_vi = given_back.json()["detail_vi"]
    assert "Đảng viên Cây Chanh 1 sinh hoạt tạm thời ở Đơn vị TQN từ ngày 01/10/2024" in away_vi

    reassigned = {"duties": [{"member_id": members[9], "kind": "group", "target_id": "g1"}]}
    await post(client, f"{CAY_CHANH_PLAN}/duties", reassigned)
    after = (await client.get(f"{CAY_CHANH_PLAN}/coverage")).json()
    assert after["households"] == "60/60"
    assert [d["duty"] for d in after["released_duties"]] == ["task:tuyen-truyen"]


async def test_coverage_after_an_exemption_counts_neither_the_member_nor_what_they_hold(
    service: Service,
) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    member = seeded.assignments[0]
    next_plan = f"/v1/branches/{BRANCH}/plans/2025"
    await post(client, next_plan, {})
    await post(client, f"{next_plan}/assignments", {"assignments": [member]})

    await post(
        client,
        f"/v1/members/{member['member_id']}/exemption",
        {"from_date": "2024-12-01", "reason": "ốm dài ngày"},
    )

    this_year = (await client.get(f"{PLAN}/coverage")).json()
    assert (this_year["members"], this_year["households"]) == ("36/36", "201/207")
    assert {r["reason"] for r in this_year["released"]} == {"exempted"}
    before = (await client.get(f"{PLAN}/coverage", params={"on": "2024-11-30"})).json()
    assert before["members"] == "36/37"  # not yet exempt, and nothing left to hold
    # The 2025 plan, drafted before the exemption was recorded, still names the member:
    # those households are not counted as covered while the member is exempt.
    following = (await client.get(f"{next_plan}/coverage")).json()
    assert (following["members"], following["households"]) == ("0/36", "0/207")
    assert set(member["household_ids"]) <= set(following["households_without_member"])
