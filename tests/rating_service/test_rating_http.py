"""The rating service end to end: scorecards and proposals from the other services' events,
rule sets by year, the quota, the order of decisions, Charter art. 8, roll-ups, exports."""

from __future__ import annotations

import csv
import io

from attendance_service.branch import BRANCH, create_units, ok, register

from .conftest import Trio
from .year import Deviations, enter_year, plan_year, register_members

DECIDER = {"decided_on": "2026-01-10"}


async def test_the_same_inputs_rated_by_2020_2024_and_2025_rules(trio: Trio) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 4)
    # Member 1 missed two meetings (excused); member 2 was late with two reports.
    deviations = Deviations(
        absent={(1, 3): "absent_excused", (1, 8): "absent_excused"}, late={(2, 4), (2, 9)}
    )
    years = (2020, 2024, 2025)
    for year in years:
        await plan_year(a, members, year)
        await enter_year(a, t, members, year, deviations)
        for i, member in enumerate(members):
            top = i == 3
            own = self_assessment(95 if top else 85, exceeded=4 if top else 0)
            await r.ok("POST", f"/v1/members/{member}/ratings/{year}/self-assessment", json=own)
            judged = {"level": "excellent" if top else "good", "note": ""}
            await r.ok("POST", f"/v1/members/{member}/ratings/{year}/appraisal", json=judged)
    await r.caught_up()

    levels = {}
    for year in years:
        found = await r.ok("GET", f"/v1/units/{BRANCH}/proposals/{year}")
        levels[year] = [
            next(p["level"] for p in found["proposals"] if p["subject_id"] == m) for m in members
        ]
        assert (
            found["rule_set"] == {2020: "qd132-hd21", 2024: "qd124-hd25", 2025: "qd366-hd43"}[year]
        )
    # Until 2024 the committee's words decide; absences with reason and late reports do not
    # count against a member. QĐ 124 asks 50% of tasks exceeded for excellent, QĐ 366 30%.
    assert levels[2020] == ["good", "good", "good", "excellent"]
    assert levels[2024] == ["good", "good", "good", "good"]
    # QĐ 366: 85 points and every task on time is good; two late reports of twelve are not
    # "100% on time", but within 20% late: completed. Excused absences cost nothing.
    assert levels[2025] == ["good", "good", "completed", "excellent"]

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
    assert (card["reports_expected"], card["reports_on_time"], card["score"]) == (12, 12, 85.0)
    assert any("QĐ 366 Điều 11" in reason for reason in card["reasons"])
    quarter = await r.ok("GET", f"/v1/units/{BRANCH}/members/2025", params={"quarter": 1})
    assert {c["reports_expected"] for c in quarter} == {3}

    # A year with no plan on record proposes nothing, and says so by name of the year.
    bare = await r.ok("GET", f"/v1/units/{BRANCH}/proposals/2023")
    assert {p["level"] for p in bare["proposals"]} == {None}
    assert all(
        any("chưa được phân công trong kế hoạch năm 2023" in x for x in p["reasons"])
        for p in bare["proposals"]
    )

    download = await r.client.get(f"/v1/units/{BRANCH}/members/2025", params={"format": "csv"})
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã đảng viên", "Họ và tên", "Chi bộ"]
    assert len(rows) == 1 + len(members)
    xlsx = await r.client.get(f"/v1/units/{BRANCH}/branches/2025", params={"format": "xlsx"})
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")


def self_assessment(points: float, *, exceeded: int = 0, total: int = 10) -> dict[str, object]:
    general = min(points, 30)
    return {
        "general_points": general,
        "task_points": points - general,
        "tasks_total": total,
        "tasks_on_time": total,
        "tasks_exceeded": exceeded,
        "level": "good",
    }


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
    # Art. 8 is its own procedure (removal), not a rating level: it forces nothing here.
    own = self_assessment(85)
    await r.ok("POST", f"/v1/members/{members[2]}/ratings/2025/self-assessment", json=own)
    proposals = await r.ok("GET", f"/v1/units/{BRANCH}/proposals/2025")
    flagged = next(p for p in proposals["proposals"] if p["subject_id"] == members[2])
    assert flagged["level"] == "good"
    assert not any("Điều 8" in reason for reason in flagged["reasons"])
    card = await r.ok("GET", f"/v1/members/{members[2]}/scorecard/2025")
    assert card["art8_flag"] is True

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
    assert by_member[members[1]]["level"] == "excellent"  # 29 + 68 points, 40% exceeded
    assert by_member[members[1]]["score"] == 97.0
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
