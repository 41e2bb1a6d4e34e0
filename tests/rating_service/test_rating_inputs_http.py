"""The inputs people record weigh in as the texts say, and the personal ones never reach the
public stream: leave, discipline with its leniency, conclusions; a collective's appraisal;
the quota on the grassroots organisation's cohort and the allowance the level above grants."""

from __future__ import annotations

import nats
from attendance_service.branch import BRANCH, OTHER, create_units, ok, register
from kernel.support import eventually

from .conftest import Trio
from .test_rating_http import DECIDER, self_assessment
from .year import Deviations, enter_year, plan_year, register_members

PRIVATE = ("discipline_decided", "conclusion_recorded", "leave_recorded")


async def test_leave_discipline_and_conclusions_weigh_in_and_stay_off_the_public_stream(
    trio: Trio, service_nats: str
) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 4)
    await plan_year(a, members, 2025)
    await enter_year(a, t, members, 2025)
    await r.caught_up()
    for member in members:
        own = self_assessment(85)
        await r.ok("POST", f"/v1/members/{member}/ratings/2025/self-assessment", json=own)
    inputs = {
        members[1]: ("leave", {"kind": "sick", "from_date": "2025-03-01", "to_date": "2025-06-30"}),
        members[2]: (
            "discipline",
            {
                "measure": "reprimand",
                "decided_on": "2025-07-01",
                "reason": "Chậm nộp báo cáo",
                "self_reported_and_remedied": True,
            },
        ),
        members[3]: (
            "discipline",
            {
                "measure": "warning",
                "decided_on": "2025-08-01",
                "reason": "Vi phạm quy định về dân số",
                "in_duties": False,
            },
        ),
        members[0]: (
            "conclusions",
            {
                "kind": "example_duty",
                "concluded_on": "2025-10-02",
                "reason": "Vi phạm trách nhiệm nêu gương",
            },
        ),
    }
    for member, (what, body) in inputs.items():
        await r.ok("POST", f"/v1/members/{member}/ratings/2025/{what}", json=body)

    found = await r.ok("GET", f"/v1/units/{BRANCH}/proposals/2025")
    by_member = {p["subject_id"]: p for p in found["proposals"]}
    # Four months of sick leave: no report was due in them; rated on the other eight.
    card = await r.ok("GET", f"/v1/members/{members[1]}/scorecard/2025")
    assert (card["reports_expected"], card["reports_on_time"]) == (8, 8)
    assert by_member[members[1]]["level"] == "good"
    assert any("thời gian làm việc thực tế" in x for x in by_member[members[1]]["reasons"])
    # Owned and remedied: not forced down, named for the competent level to weigh.
    assert by_member[members[2]]["level"] == "good"
    assert any("tự giác nhận lỗi" in x for x in by_member[members[2]]["reasons"])
    # Outside the member's duties, under QĐ 366: not forced down.
    assert by_member[members[3]]["level"] == "good"
    # A conclusion on the duty to set an example forces it.
    assert by_member[members[0]]["level"] == "not_completed"
    assert "nêu gương" in by_member[members[0]]["reasons"][0]

    nc = await nats.connect(service_nats)
    try:
        js = nc.jetstream()
        stored = await r.runtime.pool.fetchval(
            "SELECT count(*) FROM events WHERE stream_id LIKE 'ratings-%'"
        )

        async def published() -> bool:
            info = await js.stream_info("CHIBO_RATING")
            return bool(int(info.state.messages) == stored)

        await eventually(published, what="the rating relay to publish the public events")
        info = await js.stream_info("CHIBO_RATING", subjects_filter=">")
        subjects = list((info.state.subjects or {}).keys())
    finally:
        await nc.close()
    assert any("self_assessment_submitted" in s for s in subjects)
    assert not [s for s in subjects if any(p in s for p in PRIVATE)]
    private = await r.runtime.pool.fetchval(
        "SELECT count(*) FROM events WHERE stream_id LIKE 'rating_file_private-%'"
    )
    assert private == 4  # kept in the service's own store


async def test_a_collective_is_proposed_from_its_appraisal_and_the_quota_spans_branches(
    trio: Trio,
) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 4)
    others = [await register(a, 50 + i, OTHER) for i in range(4)]
    await plan_year(a, members, 2025)
    await enter_year(a, t, members, 2025)
    await r.caught_up()
    for member in members:
        own = self_assessment(95, exceeded=4)
        await r.ok("POST", f"/v1/members/{member}/ratings/2025/self-assessment", json=own)

    # Four good members and one excellent one in a branch alone: 20% of 3 good is 0.
    one = [{"subject_id": members[0], "level": "excellent"}]
    three = [{"subject_id": m, "level": "good"} for m in members[1:]]
    url = f"/v1/units/{BRANCH}/ratings/2025/decisions"
    refused = await r.client.post(url, json={"decisions": one + three, **DECIDER})
    assert refused.status_code == 422
    assert "nhóm đánh giá VL năm 2025: 1 hoàn thành xuất sắc" in refused.json()["detail_vi"]
    # The cohort is the grassroots organisation: the other branch's good members count too.
    good = [{"subject_id": m, "level": "good"} for m in others]
    await r.ok(
        "POST", f"/v1/units/{OTHER}/ratings/2025/decisions", json={"decisions": good, **DECIDER}
    )
    await r.ok("POST", url, json={"decisions": one + three, **DECIDER})

    # The branch is proposed from the commune's appraisal; the other, never appraised, is not.
    appraisal = {
        "points": 92,
        "level": "excellent",
        "targets_total": 10,
        "targets_done": 10,
        "targets_exceeded": 4,
    }
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/2025/appraisal", json=appraisal)
    found = await r.ok("GET", "/v1/units/VL/proposals/2025")
    by_unit = {p["subject_id"]: p for p in found["proposals"]}
    assert by_unit[BRANCH]["level"] == "excellent"
    assert any("QĐ 366 Điều 11 khoản 1" in x for x in by_unit[BRANCH]["reasons"])
    assert by_unit[OTHER]["level"] is None
    assert any("chưa có bản tự đánh giá" in x for x in by_unit[OTHER]["reasons"])
    no_points = {**appraisal, "points": None}
    refused = await r.client.post(f"/v1/units/{OTHER}/ratings/2025/appraisal", json=no_points)
    assert refused.json()["code"] == "points_by_rule_set"

    # The district may grant the commune's cohort an outstanding unit's share.
    grant = {
        "granted_on": "2026-01-05",
        "reason": "Nổi trội",
    }
    await r.ok("POST", "/v1/units/VL/ratings/2025/allowance", json=grant)
    again = await r.client.post("/v1/units/VL/ratings/2025/allowance", json=grant)
    assert again.json()["code"] == "allowance_granted"


async def test_charter_art_8_is_a_removal_procedure_flag_proposal_decision(trio: Trio) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 3)
    await plan_year(a, members, 2025)
    absent = {(2, 2): "absent_unexcused", (2, 5): "absent_unexcused", (2, 9): "absent_unexcused"}
    await enter_year(a, t, members, 2025, Deviations(absent=absent))
    await r.caught_up()
    body = {"proposed_on": "2025-10-05"}

    refused = await r.client.post(
        f"/v1/members/{members[1]}/ratings/2025/removal-proposal", json=body
    )
    assert refused.status_code == 422
    assert "Đảng viên 001 chưa đủ 3 tháng" in refused.json()["detail_vi"]
    await r.ok("POST", f"/v1/members/{members[2]}/ratings/2025/removal-proposal", json=body)
    again = await r.client.post(
        f"/v1/members/{members[2]}/ratings/2025/removal-proposal", json=body
    )
    assert again.json()["code"] == "removal_proposed"
    flags = await r.ok("GET", f"/v1/units/{BRANCH}/flags/2025")
    assert [(f["member_id"], f["procedure"]) for f in flags] == [(members[2], "proposed")]

    decision = {
        "removed": False,
        "decided_on": "2025-11-02",
        "reason": "Đảng viên đi làm ăn xa, đã báo cáo bổ sung",
    }
    await r.ok("POST", f"/v1/members/{members[2]}/ratings/2025/removal-decision", json=decision)
    flags = await r.ok("GET", f"/v1/units/{BRANCH}/flags/2025")
    assert [(f["member_id"], f["months"], f["procedure"]) for f in flags] == [
        (members[2], ["2025-02", "2025-05", "2025-09"], "kept")
    ]
    twice = await r.client.post(
        f"/v1/members/{members[2]}/ratings/2025/removal-decision", json=decision
    )
    assert twice.json()["code"] == "no_removal_proposal"


async def test_the_competent_level_may_count_a_branch_on_its_own(trio: Trio) -> None:
    a, r = trio.assignment, trio.rating
    await create_units(a)
    members = await register_members(a, 6)
    await r.caught_up()
    choice = {"cohort_id": BRANCH, "decided_on": "2026-01-02"}
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/2025/cohort", json=choice)
    one = [{"subject_id": members[0], "level": "excellent"}]
    five = [{"subject_id": m, "level": "good"} for m in members[1:]]
    url = f"/v1/units/{BRANCH}/ratings/2025/decisions"
    await r.ok("POST", url, json={"decisions": one + five, **DECIDER})
    decided = await r.runtime.pool.fetch("SELECT DISTINCT cohort_id FROM decisions")
    assert [row["cohort_id"] for row in decided] == [BRANCH]
    # Once decided, the cohort cannot move under the decisions.
    moved = {**choice, "cohort_id": "VL"}
    refused = await r.client.post(f"/v1/units/{BRANCH}/ratings/2025/cohort", json=moved)
    assert refused.json()["code"] == "cohort_in_use"
    outside = await r.client.post(
        f"/v1/units/{OTHER}/ratings/2025/cohort", json={**choice, "cohort_id": BRANCH}
    )
    assert outside.json()["code"] == "cohort_not_above"


async def test_every_years_result_is_kept_and_five_excellent_years_reach_the_award(
    trio: Trio,
) -> None:
    a, r = trio.assignment, trio.rating
    await create_units(a)
    more = [f"VL-{i}" for i in range(5)]
    for unit_id in more:
        body = {
            "unit_id": unit_id,
            "kind": "branch",
            "name": f"Chi bộ thôn {unit_id}",
            "parent_id": "VL",
            "valid_from": "2020-01-01",
        }
        await ok(a, "POST", "/v1/units", json=body)
    await r.caught_up()
    for year in range(2021, 2026):
        decisions = [{"subject_id": OTHER, "level": "excellent"}] + [
            {"subject_id": u, "level": "good"} for u in [BRANCH, *more]
        ]
        decide: dict[str, object] = {
            "decisions": decisions,
            "decided_on": f"{year + 1}-01-10",
        }
        await r.ok("POST", f"/v1/units/VL/ratings/{year}/decisions", json=decide)
    lines = {x["unit_id"]: x for x in await r.ok("GET", "/v1/units/VL/titles/2025")}
    assert (lines[OTHER]["excellent_years"], lines[OTHER]["eligible"]) == (5, True)
    assert (lines[BRANCH]["excellent_years"], lines[BRANCH]["good_years"]) == (0, 5)
    assert not lines[BRANCH]["eligible"]
    earlier = {x["unit_id"]: x for x in await r.ok("GET", "/v1/units/VL/titles/2024")}
    assert (earlier[OTHER]["excellent_years"], earlier[OTHER]["eligible"]) == (4, False)


async def test_a_member_attending_elsewhere_is_rated_once_the_host_branch_has_commented(
    trio: Trio,
) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 3)
    await plan_year(a, members, 2025)
    await enter_year(a, t, members, 2025)
    away = {"host_branch_id": OTHER, "from_date": "2025-11-01", "to_date": "2026-03-31"}
    await ok(a, "POST", f"/v1/members/{members[2]}/temporary-attendance", json=away)
    await r.caught_up()
    own = self_assessment(85)
    await r.ok("POST", f"/v1/members/{members[2]}/ratings/2025/self-assessment", json=own)

    found = await r.ok("GET", f"/v1/members/{members[2]}/scorecard/2025")
    assert found["proposed_level"] is None
    assert any("cần có ý kiến nhận xét của chi bộ đó" in x for x in found["reasons"])
    comment = {
        "source": "temporary_host",
        "from_unit": OTHER,
        "comment": "Tham gia sinh hoạt đầy đủ, gương mẫu",
        "commented_on": "2025-12-10",
    }
    await r.ok("POST", f"/v1/members/{members[2]}/ratings/2025/comments", json=comment)
    found = await r.ok("GET", f"/v1/members/{members[2]}/scorecard/2025")
    assert found["proposed_level"] == "good"
    assert any("nhận xét: Tham gia sinh hoạt đầy đủ" in x for x in found["reasons"])


async def test_a_member_list_comes_page_by_page_with_the_total_and_the_next_page(
    trio: Trio,
) -> None:
    a, r = trio.assignment, trio.rating
    await create_units(a)
    members = await register_members(a, 10)
    await r.caught_up()
    url = f"/v1/units/{BRANCH}/members/2025"
    first = await r.client.get(url, params={"limit": 4})
    assert first.status_code == 200
    assert first.headers["x-total-count"] == "10"
    assert len(first.json()) == 4
    assert "offset=4" in first.headers["link"]
    assert 'rel="next"' in first.headers["link"]
    last = await r.client.get(url, params={"limit": 4, "offset": 8})
    assert len(last.json()) == 2
    assert "link" not in last.headers
    pages = [
        *first.json(),
        *(await r.ok("GET", url, params={"limit": 4, "offset": 4})),
        *last.json(),
    ]
    assert sorted(c["member_id"] for c in pages) == sorted(members)
    whole = await r.ok("GET", url)
    assert [c["member_id"] for c in whole] == [c["member_id"] for c in pages]
