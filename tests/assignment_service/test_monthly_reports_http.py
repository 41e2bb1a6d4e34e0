"""Monthly reports of the Võ Lao branch through the HTTP API: a whole month in one command,
reviewed at the meeting, problems tracked until resolved or handed up."""

from __future__ import annotations

from typing import Any

from chibo_tools.demo.assignment import seed_vo_lao

from .conftest import Service
from .test_vo_lao_http import REPORT_STORY, assert_on_the_wire, post

REPORTS = "/v1/branches/VL-TT/reports/2024-03"


async def test_a_month_of_reports_reviews_and_problems(service: Service) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    holders = [a["member_id"] for a in seeded.assignments]  # the 37 holding households
    reports: list[dict[str, Any]] = [
        {
            "member_id": m,
            "situation": f"Các hộ ổn định, {i} hộ cần hỗ trợ giống cây",
            "submitted_on": "2024-04-10" if i in (5, 6) else "2024-03-28",
            "entered_by": "secretary" if i == 0 else "member",
        }
        for i, m in enumerate(holders[:35])
    ]
    reports[1]["problems"] = ["Đường liên thôn sạt lở sau mưa lớn"]
    reports[2]["problems"] = ["Hộ h013 có tranh chấp đất với hộ h014"]
    await post(client, REPORTS, {"reports": reports})

    month = (await client.get(REPORTS)).json()
    assert (month["reported"], month["late"]) == ("35/37", 2)
    assert month["missing"] == sorted(f"{m} households" for m in holders[35:])
    on_behalf = next(r for r in month["reports"] if r["member_id"] == holders[0])
    assert on_behalf["entered_by"] == "secretary"
    landslide, dispute = sorted(month["open_problems"], key=lambda p: p["description"])[::-1][:2]

    reviews = [
        {
            "member_id": r["member_id"],
            "evaluation": "good" if i % 3 else "fair",
            "comment": "Nắm chắc tình hình các hộ",
        }
        for i, r in enumerate(reports)
    ]
    await post(client, f"{REPORTS}/reviews", {"reviewed_on": "2024-04-05", "reviews": reviews})
    elsewhere = await client.post(
        f"/v1/problems/{landslide['problem_id']}/escalation",
        json={"to_unit_id": "VL-KC", "on": "2024-04-06", "note": "đề nghị hỗ trợ"},
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json()["code"] == "not_a_higher_level"
    # Named as people know it: who raised it, the month, the units by their names.
    assert elsewhere.json()["detail_vi"] == (
        "không thể chuyển vấn đề của Đảng viên 06 tháng 03/2024 lên Chi bộ thôn Khe Có: "
        "đơn vị này không phải cấp trên của Chi bộ thị tứ Võ Lao"
    )
    await post(
        client,
        f"/v1/problems/{landslide['problem_id']}/escalation",
        {"to_unit_id": "VL", "on": "2024-04-06", "note": "đề nghị xã hỗ trợ khắc phục"},
    )
    resolution = {"on": "2024-04-08", "resolution": "hòa giải thành tại tổ hòa giải thôn"}
    await post(client, f"/v1/problems/{dispute['problem_id']}/resolution", resolution)
    again = await client.post(f"/v1/problems/{dispute['problem_id']}/resolution", json=resolution)
    assert (again.status_code, again.json()["code"]) == (422, "problem_state")
    assert again.json()["detail_vi"] == "vấn đề của Đảng viên 07 tháng 03/2024 đã được giải quyết"

    after = (await client.get(REPORTS)).json()
    assert [(p["problem_id"], p["status"], p["escalated_to"]) for p in after["open_problems"]] == [
        (landslide["problem_id"], "escalated", "VL")
    ]
    assert {r["evaluation"] for r in after["reports"] if r["state"] != "missing"} == {
        "good",
        "fair",
    }
    await assert_on_the_wire(service, REPORT_STORY)


async def test_a_month_naming_an_unassigned_member_is_refused_whole(service: Service) -> None:
    client = service.client
    seeded = await seed_vo_lao(client)
    assert seeded is not None
    before = await service.runtime.pool.fetchval("SELECT count(*) FROM events")
    exempt = seeded.members[0]
    refused = await client.post(
        REPORTS,
        json={
            "reports": [
                {
                    "member_id": seeded.assignments[0]["member_id"],
                    "situation": "Ổn định",
                    "submitted_on": "2024-03-28",
                },
                {"member_id": exempt, "situation": "Ổn định", "submitted_on": "2024-03-28"},
            ]
        },
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "not_assigned"
    assert "không phụ trách hộ nào" in refused.json()["detail_vi"]
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == before
    assert (await client.get(REPORTS)).json()["reported"] == "0/37"
    # People are named by name, never by id, in both languages.
    pool = service.runtime.pool
    name = await pool.fetchval("SELECT full_name FROM members WHERE member_id = $1", exempt)
    assert f"đảng viên {name} không phụ trách" in refused.json()["detail_vi"]
    assert f"member {name} does not hold" in refused.json()["detail"]
    assert exempt not in refused.text
    holder = seeded.assignments[0]["member_id"]
    report = {"member_id": holder, "situation": "Ổn định", "submitted_on": "2024-03-28"}
    await post(client, REPORTS, {"reports": [report]})
    again = await client.post(REPORTS, json={"reports": [report]})
    assert again.json()["code"] == "report_exists"
    name = await pool.fetchval("SELECT full_name FROM members WHERE member_id = $1", holder)
    assert again.json()["detail_vi"] == (
        f"đảng viên {name} đã báo cáo về các hộ được phân công tháng 03/2024"
    )
    assert holder not in again.text
