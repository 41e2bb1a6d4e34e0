"""A chi bộ cơ sở (fewer than 30 members, no branches: its members meet in it directly,
Điều lệ Đảng art. 21 khoản 3) through the HTTP API: a `grassroots` unit with no active
branch holds members, households, a plan and monthly reports itself, as a branch does; a
grassroots unit with branches does not, and no branch goes under one that holds members."""

from __future__ import annotations

from typing import Any

from kernel.support import eventually

from .conftest import Service
from .test_vo_lao_http import post

CELL = "MV-TH"  # the chi bộ cơ sở
CELL_PATH = "HG.MV.MV-TH"
PARTY = "MV-TT"  # a đảng bộ cơ sở, with a branch
UNITS = [
    ("HG", "province", "Đảng bộ tỉnh Hà Giang", None),
    ("MV", "district", "Đảng bộ huyện Mèo Vạc", "HG"),
    (CELL, "grassroots", "Chi bộ Trường THPT Mèo Vạc", "MV"),
    (PARTY, "grassroots", "Đảng bộ thị trấn Mèo Vạc", "MV"),
    ("MV-TT-1", "branch", "Chi bộ tổ dân phố 1", PARTY),
]


async def create(service: Service, units: list[tuple[str, str, str, str | None]]) -> None:
    for unit_id, kind, name, parent in units:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": name,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        await post(service.client, "/v1/units", body)


async def register(service: Service, unit_id: str, index: int) -> str:
    body = {
        "full_name": f"Đảng viên Mèo Vạc {index:02}",
        "branch_id": unit_id,
        "admission_date": "2012-03-03",
        "card_number": f"{5500000 + index}",
        "birth_date": "1978-01-01",
    }
    return str((await post(service.client, "/v1/members", body))["member_id"])


async def refused(service: Service, url: str, body: dict[str, Any], code: str) -> str:
    """Refused with `code` in both languages, nothing stored; returns the English detail."""
    pool = service.runtime.pool
    before = await pool.fetchval("SELECT count(*) FROM events")
    response = await service.client.post(url, json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == code, problem
    assert problem["detail_vi"]
    assert problem["detail_vi"] != problem["detail"]
    assert await pool.fetchval("SELECT count(*) FROM events") == before
    return str(problem["detail"]) + " | " + str(problem["detail_vi"])


async def test_a_chi_bo_co_so_holds_members_households_a_plan_and_reports(
    service: Service,
) -> None:
    client = service.client
    await create(service, UNITS)
    members = [await register(service, CELL, i) for i in range(6)]
    secretary, holders = members[0], members[1:]
    await post(
        client, f"/v1/members/{secretary}/roles", {"role": "secretary", "since": "2020-06-01"}
    )
    # One more arrives by transfer (chuyển sinh hoạt) from a đảng bộ cơ sở's branch.
    newcomer = await register(service, "MV-TT-1", 50)
    await post(
        client, f"/v1/members/{newcomer}/transfer", {"to_branch_id": CELL, "on": "2025-02-01"}
    )

    households = [{"household_id": f"th{i:02}", "label": f"Hộ {i}"} for i in range(25)]
    await post(client, f"/v1/branches/{CELL}/households", {"households": households})
    plan = f"/v1/branches/{CELL}/plans/2025"
    await post(client, plan, {})
    given = {m: [f"th{5 * i + j:02}" for j in range(5)] for i, m in enumerate(holders)}
    await post(
        client,
        f"{plan}/assignments",
        {"assignments": [{"member_id": m, "household_ids": h} for m, h in given.items()]},
    )
    await post(
        client, f"{plan}/adoption", {"resolution_number": "01-NQ/CB", "adopted_on": "2025-02-20"}
    )

    coverage = (await client.get(f"{plan}/coverage", params={"on": "2025-03-01"})).json()
    # The secretary leads; the newcomer has nothing yet: every household still has a member.
    assert (coverage["members"], coverage["households"]) == ("5/6", "25/25")
    assert coverage["members_without_households"] == [newcomer]

    month = f"/v1/branches/{CELL}/reports/2025-03"
    reports = [
        {
            "member_id": m,
            "situation": "Các hộ ổn định",
            "submitted_on": "2025-03-28",
            "entered_by": "member",
        }
        for m in holders
    ]
    await post(client, month, {"reports": reports})
    reviews = [
        {"member_id": m, "evaluation": "good", "comment": "Nắm chắc các hộ"} for m in holders
    ]
    await post(client, f"{month}/reviews", {"reviewed_on": "2025-04-03", "reviews": reviews})
    assert (await client.get(month)).json()["reported"] == "5/5"

    roster = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM members WHERE branch_id = $1 AND left_on IS NULL", CELL
    )
    assert roster == 7

    # Its events travel under the chi bộ cơ sở's own path, as a branch's do.
    expected = {
        f"chibo.assignment.member.member_registered.v3.{CELL_PATH}._",
        f"chibo.assignment.plan.member_assigned.v1.{CELL_PATH}._",
        f"chibo.assignment.reports.report_submitted.v2.{CELL_PATH}._",
    }

    async def arrived() -> bool:
        return expected <= {m.subject for m in service.wire}

    await eventually(arrived, timeout=30, what="the chi bộ cơ sở's events on NATS")


async def test_a_grassroots_unit_with_branches_holds_no_members_and_a_cell_takes_no_branch(
    service: Service,
) -> None:
    await create(service, UNITS)
    member = await register(service, CELL, 1)
    registration = {
        "full_name": "Đảng viên Thị trấn",
        "branch_id": PARTY,
        "admission_date": "2012-03-03",
        "card_number": "5599999",
        "birth_date": "1978-01-01",
    }

    # A đảng bộ cơ sở: its members belong to its branches, named in the refusal.
    detail = await refused(service, "/v1/members", registration, "grassroots_has_branches")
    assert "Đảng bộ thị trấn Mèo Vạc (MV-TT)" in detail
    assert "MV-TT-1" in detail
    move_in = {"to_branch_id": PARTY, "on": "2025-02-01"}
    await refused(service, f"/v1/members/{member}/transfer", move_in, "grassroots_has_branches")
    households = {"households": [{"household_id": "x1", "label": "Hộ x1"}]}
    await refused(
        service, f"/v1/branches/{PARTY}/households", households, "grassroots_has_branches"
    )
    await refused(service, f"/v1/branches/{PARTY}/plans/2025", {}, "grassroots_has_branches")
    # Neither holds a province or a district.
    await refused(service, "/v1/branches/MV/plans/2025", {}, "not_a_branch")

    # A chi bộ cơ sở holding members takes no branch, created or moved under it.
    branch = {
        "unit_id": "MV-TH-1",
        "kind": "branch",
        "name": "Chi bộ giáo viên",
        "parent_id": CELL,
        "valid_from": "2025-01-01",
    }
    detail = await refused(service, "/v1/units", branch, "grassroots_holds_members")
    assert "Chi bộ Trường THPT Mèo Vạc (MV-TH)" in detail
    assert "(1)" in detail
    move = {"to_parent_id": CELL, "valid_from": "2025-01-01"}
    await refused(service, "/v1/units/MV-TT-1/move", move, "grassroots_holds_members")
    # Nor do its members go into a đảng bộ cơ sở by merging.
    merger = {"into_unit_id": PARTY, "valid_from": "2025-07-01"}
    await refused(service, f"/v1/units/{CELL}/merger", merger, "grassroots_has_branches")

    # Once its members have gone, a branch may be created under it.
    await post(
        service.client,
        f"/v1/members/{member}/transfer",
        {"to_branch_id": "MV-TT-1", "on": "2025-03-01"},
    )
    await post(service.client, "/v1/units", branch)


async def test_a_chi_bo_co_so_merges_into_another_with_its_members_and_households(
    service: Service,
) -> None:
    client, pool = service.client, service.runtime.pool
    await create(service, [*UNITS, ("MV-YT", "grassroots", "Chi bộ Trung tâm Y tế", "MV")])
    ours = [await register(service, CELL, i) for i in range(3)]
    theirs = [await register(service, "MV-YT", 10 + i) for i in range(2)]
    households = [{"household_id": f"yt{i}", "label": f"Hộ {i}"} for i in range(4)]
    await post(client, "/v1/branches/MV-YT/households", {"households": households})

    await post(client, "/v1/units/MV-YT/merger", {"into_unit_id": CELL, "valid_from": "2025-07-01"})

    found = await pool.fetch(
        "SELECT member_id FROM members WHERE branch_id = $1 ORDER BY member_id", CELL
    )
    assert {r["member_id"] for r in found} == {*ours, *theirs}
    assert await pool.fetchval("SELECT merged_into FROM org_units WHERE unit_id = 'MV-YT'") == CELL
    await post(client, f"/v1/branches/{CELL}/plans/2025", {})
    coverage = (await client.get(f"/v1/branches/{CELL}/plans/2025/coverage")).json()
    assert coverage["households"] == "0/4"  # the other's households joined this area
