"""Postponed, cancelled and extra meetings, and bad input: each refusal is bilingual, names
the rule, and changes nothing (same events, same read models)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kernel.support import eventually

from attendance.domain.events import REGISTRY

from .branch import BRANCH, OTHER, create_units, held_body, ok, register, schedule, sheet
from .conftest import Attendance, Both
from .test_year_http import YEAR_STORY

RULES_STORY = {"meeting_postponed", "meeting_cancelled", "attendance_corrected", "meeting_held"}


def test_the_stories_put_every_published_event_type_on_the_wire() -> None:
    published = {t.short_name() for t in REGISTRY if t.published}
    assert published == YEAR_STORY | RULES_STORY


async def refused(t: Attendance, method: str, url: str, code: str, **kwargs: Any) -> dict[str, Any]:
    """Refused with `code` in both languages, and nothing stored or published."""
    before = await t.runtime.pool.fetchval("SELECT count(*) FROM events")
    response = await t.client.request(method, url, **kwargs)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == code, problem
    assert problem["detail"]
    assert problem["detail_vi"] != problem["detail"]
    assert await t.runtime.pool.fetchval("SELECT count(*) FROM events") == before
    return dict(problem)


async def test_meeting_rules_and_bad_input(both: Both) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a)
    members = [await register(a, i) for i in range(4)]
    outsider = await register(a, 50, OTHER)
    await t.roster_has(BRANCH, "2025-03-01", 4)
    await t.roster_has(OTHER, "2025-03-01", 1)
    chair = members[0]

    # A second regular meeting in a month needs its reason; a thematic one needs its topic.
    march = await schedule(t, "2025-03-05")
    url = f"/v1/branches/{BRANCH}/meetings"
    second = {"kind": "regular", "scheduled_for": "2025-03-20T19:30:00+07:00", "place": "x"}
    problem = await refused(t, "POST", url, "second_regular_meeting", json=second)
    assert problem["detail_vi"].startswith(  # the branch by its name, the month as mm/yyyy
        "Chi bộ thị tứ Võ Lao đã có cuộc họp thường kỳ tháng 03/2025; nêu lý do họp thêm"
    )
    await schedule(t, "2025-03-20", extra_reason="họp bàn công tác phòng chống bão")
    thematic = {**second, "kind": "thematic"}
    await refused(t, "POST", url, "topic_required", json=thematic)
    await schedule(t, "2025-03-25", kind="thematic", topic="Học tập Nghị quyết")

    # Postponed within its month; a regular meeting never leaves its month.
    later = {"to_time": "2025-03-08T19:30:00+07:00", "reason": "mưa lớn"}
    await t.ok("POST", f"/v1/meetings/{march}/postponement", json=later)
    elsewhere = {"to_time": "2025-04-02T19:30:00+07:00", "reason": "mưa lớn"}
    problem = await refused(
        t,
        "POST",
        f"/v1/meetings/{march}/postponement",
        "regular_meeting_leaves_month",
        json=elsewhere,
    )
    assert "cuộc họp của tháng 03/2025" in problem["detail_vi"]

    # April's meeting is cancelled: April shows as a month without a regular meeting.
    april = await schedule(t, "2025-04-05")
    await t.ok("POST", f"/v1/meetings/{april}/cancellation", json={"reason": "bầu cử"})
    problem = await refused(
        t,
        "POST",
        f"/v1/meetings/{april}/held",
        "meeting_cancelled",
        json=held_body("2025-04-05", chair),
    )
    assert problem["detail_vi"] == "cuộc họp thường kỳ ngày 05/04/2025 đã bị hủy"

    # Times out of order; a meeting in the future marked held.
    await refused(
        t,
        "POST",
        f"/v1/meetings/{march}/held",
        "times_out_of_order",
        json=held_body("2025-03-08", chair, ended_at="2025-03-08T18:00:00+07:00"),
    )
    soon = datetime.now(UTC) + timedelta(days=3)
    future = await schedule(t, soon.date().isoformat())
    await refused(
        t,
        "POST",
        f"/v1/meetings/{future}/held",
        "held_in_future",
        json=held_body(soon.date().isoformat(), chair),
    )

    # Someone not on the roster, unless recorded as a guest; an incomplete sheet; reasons.
    bad_sheets = [
        (sheet([*members, outsider]), "not_on_roster"),
        (sheet(members[:3]), "sheet_incomplete"),
        (sheet(members, {members[1]: ("absent_excused", None)}), "reason_required"),
        (sheet(members, {members[1]: ("absent_unexcused", "ốm")}), "reason_not_expected"),
        ([*sheet(members), {"member_id": members[0], "status": "present"}], "member_listed_twice"),
    ]
    for marks, code in bad_sheets:
        body = held_body("2025-03-08", chair, attendance=marks)
        await refused(t, "POST", f"/v1/meetings/{march}/held", code, json=body)
    meeting = await t.ok("GET", f"/v1/meetings/{march}")
    assert meeting["status"] == "scheduled"  # nothing of the refused commands stayed

    guest = [{"member_id": outsider, "level": "commune"}]
    body = held_body(
        "2025-03-08",
        chair,
        attendance=sheet(members, {members[3]: ("absent_excused", "đi viện")}),
        guests=guest,
    )
    await t.ok("POST", f"/v1/meetings/{march}/held", json=body)
    problem = await refused(
        t,
        "POST",
        f"/v1/meetings/{march}/attendance",
        "attendance_already_recorded",
        json={"marks": sheet(members)},
    )
    assert "đã ghi điểm danh cuộc họp thường kỳ ngày 08/03/2025" in problem["detail_vi"]

    # A late correction supersedes the mark; both stay in the history.
    fix = {"marks": [{"member_id": members[3], "status": "present"}], "reason": "đến muộn"}
    await t.ok("POST", f"/v1/meetings/{march}/attendance/corrections", json=fix)
    await refused(
        t,
        "POST",
        f"/v1/meetings/{march}/attendance/corrections",
        "correction_changes_nothing",
        json=fix,
    )
    meeting = await t.ok("GET", f"/v1/meetings/{march}")
    line = next(x for x in meeting["lines"] if x["member_id"] == members[3])
    assert (line["state"], line["corrected"]) == ("present", True)
    assert meeting["facts"]["attendance_rate"] == 1.0
    assert meeting["guests"] == [
        {"guest_id": outsider, "level": "commune", "within_assignment": False}
    ]
    stream = await t.runtime.store.load(f"meetings-{BRANCH}-2025")
    names = [r.event_type.split(".")[2] for r in stream]
    sheets = [n for n in names if n.startswith("attendance_")]
    assert sheets == ["attendance_recorded", "attendance_corrected"]

    year = await t.ok("GET", f"/v1/branches/{BRANCH}/years/2025")
    months = {m["month"]: m["regular_meeting"] for m in year["months"]}
    assert (months["2025-03"], months["2025-04"]) == ("held", "cancelled")
    assert "2025-04" in year["months_without_regular_meeting"]
    assert "2025-03" not in year["months_without_regular_meeting"]

    async def published() -> bool:
        seen = {(m.headers or {})["ce-type"].split(".")[2] for m in t.wire}
        return seen >= RULES_STORY

    await eventually(published, timeout=30, what="postponed, cancelled, corrected on NATS")


async def test_unknown_branch_and_meeting_are_refused_in_both_languages(both: Both) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a)
    await t.settled()  # the units have reached the attendance service
    body = {"kind": "regular", "scheduled_for": "2025-03-05T19:30:00+07:00", "place": "x"}
    # A unit known here whose members do not meet in it: the rule, in both languages.
    problem = await refused(t, "POST", "/v1/branches/VB/meetings", "branch_unknown", json=body)
    assert problem["detail_vi"].startswith("Đảng bộ huyện Văn Bàn không phải chi bộ")
    # Ids known nowhere: 404 for the province-wide administrator (others get 403).
    for url, payload in [
        ("/v1/branches/NOWHERE/meetings", body),
        ("/v1/meetings/nope/cancellation", {"reason": "x"}),
    ]:
        response = await t.client.post(url, json=payload)
        assert response.status_code == 404, response.text
        assert response.json()["detail_vi"]
    naive = {**body, "scheduled_for": "2025-03-05T19:30:00"}  # no UTC offset: ambiguous
    response = await t.client.post(f"/v1/branches/{BRANCH}/meetings", json=naive)
    assert response.status_code == 422
    assert await ok(both.assignment, "GET", "/health/ready") is not None
