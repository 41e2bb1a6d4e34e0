"""The rating service end to end: scorecards and proposals from the other services' events,
rule sets by year, the quota, the order of decisions, Charter art. 8, roll-ups, exports."""

from __future__ import annotations

import csv
import io

from attendance_service.branch import BRANCH, create_units, ok, register

from .conftest import Trio
from .year import Deviations, enter_year, plan_year, register_members

DECIDER = {"decided_by": "Chi ủy chi bộ", "decided_on": "2026-01-10"}


async def test_the_same_inputs_rated_by_2024_and_2025_rules(trio: Trio) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 4)
    # Member 1 missed two meetings (excused); member 2 was late with two reports.
    deviations = Deviations(
        absent={(1, 3): "absent_excused", (1, 8): "absent_excused"}, late={(2, 4), (2, 9)}
    )
    for year in (2024, 2025):
        await plan_year(a, members, year)
        await enter_year(a, t, members, year, deviations)
    await r.caught_up()

    levels = {}
    for year in (2024, 2025):
        found = await r.ok("GET", f"/v1/units/{BRANCH}/proposals/{year}")
        levels[year] = {p["subject_id"]: p["level"] for p in found["proposals"]}
        assert found["rule_set"] == {2024: "qd124-hd25", 2025: "qd366-hd43"}[year]
    # Quy định 124 rates by criteria: 10/12 meetings is under 85%, late reports don't count.
    assert (levels[2024][members[1]], levels[2024][members[2]]) == ("completed", "good")
    # Quy định 366 scores: 96.5 points is good; two late reports break "100% on time".
    assert (levels[2025][members[1]], levels[2025][members[2]]) == ("good", "completed")
    assert levels[2024][members[3]] == "excellent"  # every criterion of 124 met
    assert levels[2025][members[3]] == "good"  # 366 also needs ≥ 30% of tasks exceeded

    card = next(
        c
        for c in await r.ok("GET", f"/v1/units/{BRANCH}/members/2025")
        if c["member_id"] == members[1]
    )
    assert (card["meetings_expected"], card["meetings_present"], card["meetings_excused"]) == (
        12,
        10,
        2,
    )
    assert (card["reports_expected"], card["reports_on_time"], card["score"]) == (12, 12, 96.5)
    quarter = await r.ok("GET", f"/v1/units/{BRANCH}/members/2025", params={"quarter": 1})
    assert {c["reports_expected"] for c in quarter} == {3}

    download = await r.client.get(f"/v1/units/{BRANCH}/members/2025", params={"format": "csv"})
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã đảng viên", "Họ và tên", "Chi bộ"]
    assert len(rows) == 1 + len(members)
    xlsx = await r.client.get(f"/v1/units/{BRANCH}/branches/2025", params={"format": "xlsx"})
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")


async def test_quota_order_of_decisions_and_the_roll_up(trio: Trio) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 10)
    await plan_year(a, members, 2025)
    await enter_year(a, t, members, 2025)
    await r.caught_up()
    url = f"/v1/units/{BRANCH}/ratings/2025/decisions"

    # The branch cannot be decided by the commune before its members are.
    early = await r.client.post(
        "/v1/units/VL/ratings/2025/decisions",
        json={"decisions": [{"subject_id": BRANCH, "level": "good"}], **DECIDER},
    )
    assert early.status_code == 422
    assert early.json()["code"] == "members_first"

    three = [{"subject_id": m, "level": "excellent"} for m in members[:3]]
    seven = [{"subject_id": m, "level": "good"} for m in members[3:]]
    refused = await r.client.post(url, json={"decisions": three + seven, **DECIDER})
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "quota_exceeded"
    assert "3 rated excellent" in problem["detail"]
    assert "7 rated good" in problem["detail"]
    assert "tối đa 1" in problem["detail_vi"]
    assert await r.runtime.pool.fetchval("SELECT count(*) FROM decisions") == 0

    one = [{"subject_id": members[0], "level": "excellent"}]
    nine = [{"subject_id": m, "level": "good"} for m in members[1:]]
    await r.ok("POST", url, json={"decisions": one + nine, **DECIDER})
    branch = {"decisions": [{"subject_id": BRANCH, "level": "good"}], **DECIDER}
    await r.ok("POST", "/v1/units/VL/ratings/2025/decisions", json=branch)

    rollup = await r.ok("GET", "/v1/units/VL/rollup/2025")
    assert rollup["members"]["text"] == "10/10 (100.0%)"
    assert rollup["branches"]["text"] == "1/1 (100.0%)"

    # A higher level cancels one decision: it leaves the roll-up until it is re-rated.
    cancel = {
        "subject_id": members[5],
        "by_unit_id": "VL",
        "reason": "đánh giá chưa đúng",
        "cancelled_by": "Đảng ủy xã",
        "cancelled_on": "2026-01-20",
    }
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/2025/cancellations", json=cancel)
    rollup = await r.ok("GET", "/v1/units/VL/rollup/2025")
    assert rollup["members"]["text"] == "9/9 (100.0%)"
    assert rollup["undecided_members"] == 1
    again = {"decisions": [{"subject_id": members[5], "level": "completed"}], **DECIDER}
    await r.ok("POST", url, json=again)
    rollup = await r.ok("GET", "/v1/units/VL/rollup/2025")
    assert rollup["members"]["text"] == "9/10 (90.0%)"


async def test_art_8_flag_appears_on_the_third_month_and_a_correction_clears_it(
    trio: Trio,
) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 3)
    await plan_year(a, members, 2025)
    absent = {(2, 2): "absent_unexcused", (2, 5): "absent_unexcused", (2, 9): "absent_unexcused"}
    meetings = await enter_year(a, t, members, 2025, Deviations(absent=absent))
    await r.caught_up()
    flags = await r.ok("GET", f"/v1/units/{BRANCH}/flags/2025")
    assert [(f["member_id"], f["months"]) for f in flags] == [
        (members[2], ["2025-02", "2025-05", "2025-09"])
    ]
    proposals = await r.ok("GET", f"/v1/units/{BRANCH}/proposals/2025")
    flagged = next(p for p in proposals["proposals"] if p["subject_id"] == members[2])
    assert flagged["level"] == "not_completed"
    assert "Điều 8" in flagged["reasons"][0]

    fix = {
        "marks": [{"member_id": members[2], "status": "absent_excused", "reason": "đi viện"}],
        "reason": "có giấy báo ốm",
    }
    await t.ok("POST", f"/v1/meetings/{meetings[5]}/attendance/corrections", json=fix)
    await r.caught_up()
    assert await r.ok("GET", f"/v1/units/{BRANCH}/flags/2025") == []


async def test_people_inputs_weigh_in_and_following_is_counted_against_the_quota(
    trio: Trio,
) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 4)
    guest = await register(a, 90, "VL-KC")
    follow = {"level": "commune", "unit_ids": ["VL"]}
    await ok(a, "POST", f"/v1/followers/{guest}/years/2025", json=follow)
    quota = {"level": "commune", "meetings_per_year": 4, "valid_from": "2025-01-01"}
    await ok(a, "POST", "/v1/units/LC/visit-quotas", json=quota)
    await plan_year(a, members, 2025)
    meetings = await enter_year(a, t, members, 2025)
    for month in (3, 9):
        body = {"guests": [{"member_id": guest, "level": "commune"}]}
        await t.ok("POST", f"/v1/meetings/{meetings[month]}/guests", json=body)
    await r.caught_up()

    own = {
        "general_points": 29,
        "task_points": 68,
        "tasks_total": 10,
        "tasks_on_time": 10,
        "tasks_exceeded": 4,
        "level": "excellent",
    }
    await r.ok("POST", f"/v1/members/{members[1]}/ratings/2025/self-assessment", json=own)
    again = await r.client.post(f"/v1/members/{members[1]}/ratings/2025/self-assessment", json=own)
    assert again.json()["code"] == "self_assessment_exists"
    reprimand = {"measure": "reprimand", "decided_on": "2025-06-01", "reason": "vi phạm"}
    await r.ok("POST", f"/v1/members/{members[2]}/ratings/2025/discipline", json=reprimand)
    appraisal = {"level": "completed", "note": "còn hạn chế"}
    await r.ok("POST", f"/v1/members/{members[3]}/ratings/2025/appraisal", json=appraisal)

    found = await r.ok("GET", f"/v1/units/{BRANCH}/proposals/2025")
    by_member = {p["subject_id"]: p for p in found["proposals"]}
    assert by_member[members[1]]["level"] == "excellent"  # 29 + 70 points, 40% exceeded
    assert by_member[members[1]]["score"] == 99.0
    assert by_member[members[2]]["level"] == "not_completed"
    assert "khiển trách" in by_member[members[2]]["reasons"][0]
    assert any("chi ủy đề xuất" in reason for reason in by_member[members[3]]["reasons"])

    lines = await r.ok("GET", "/v1/units/VL/following/2025")
    assert [(x["follower_id"], x["visits"], x["quota"], x["met"]) for x in lines] == [
        (guest, 2, 4, False)
    ]
    for path in ("flags", "proposals", "following", "rollup"):
        unit = "VL" if path in ("following", "rollup") else BRANCH
        download = await r.client.get(f"/v1/units/{unit}/{path}/2025", params={"format": "csv"})
        assert download.status_code == 200, path
        assert download.content.startswith("\ufeff".encode()), path  # BOM: Excel reads UTF-8
        assert "attachment" in download.headers["content-disposition"]
