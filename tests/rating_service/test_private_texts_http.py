"""What people write about a member's year never reaches JetStream, which keeps it for ever
for every subscriber: why a member was absent or their mark corrected, why a meeting moved
or was cancelled, an appraisal's note, the reasons a proposal gave (discipline, comments
from other organisations) and why a decision was cancelled. The branch and the levels
above it still read those texts in the services' own views, and rating's figures are the
ones the published facts give."""

from __future__ import annotations

from typing import Any

from attendance_service.branch import BRANCH, create_units, held_body, schedule, sheet
from kernel.support import read_stream

from .conftest import Trio
from .year import enter_year, plan_year, register_members

ILL = "điều trị viêm gan B tại bệnh viện tỉnh"
LATE = "báo ốm muộn do nằm viện"
FIX = "thư ký ghi nhầm đồng chí vắng không lý do"
POSTPONED = "đồng chí bí thư phẫu thuật dạ dày"
CANCELLED = "tang lễ thân phụ đồng chí bí thư"
NOTE = "còn biểu hiện nể nang, ngại va chạm"
DISCIPLINE = "vi phạm quy định về những điều đảng viên không được làm"
COMMENT = "gia đình có mâu thuẫn, chưa gương mẫu nơi cư trú"
WHY = "chưa xem xét kết luận của Ủy ban kiểm tra"
TEXTS = (ILL, LATE, FIX, POSTPONED, CANCELLED, NOTE, DISCIPLINE, COMMENT, WHY)
DECIDER = {"decided_on": "2026-01-10"}


async def test_texts_about_members_stay_in_the_services_and_reach_their_readers(
    trio: Trio,
) -> None:
    a, t, r = trio.assignment, trio.attendance, trio.rating
    await create_units(a)
    members = await register_members(a, 3)
    await plan_year(a, members, 2025)
    meetings = await enter_year(a, t, members, 2025)

    # Attendance: an extra meeting with an absence, corrected; one postponed, then cancelled.
    extra = await schedule(t, "2025-06-20", kind="thematic", topic="Học tập Nghị quyết")
    marks = sheet(
        members, {members[1]: ("absent_excused", ILL), members[2]: ("absent_unexcused", None)}
    )
    await t.ok(
        "POST",
        f"/v1/meetings/{extra}/held",
        json=held_body("2025-06-20", members[0], attendance=marks),
    )
    fix = {
        "marks": [{"member_id": members[2], "status": "absent_excused", "reason": LATE}],
        "reason": FIX,
    }
    await t.ok("POST", f"/v1/meetings/{extra}/attendance/corrections", json=fix)
    moved = await schedule(t, "2025-07-20", kind="thematic", topic="Xây dựng nông thôn mới")
    later = {"to_time": "2025-07-27T19:30:00+07:00", "reason": POSTPONED}
    await t.ok("POST", f"/v1/meetings/{moved}/postponement", json=later)
    await t.ok("POST", f"/v1/meetings/{moved}/cancellation", json={"reason": CANCELLED})

    # Rating: a note and a comment the proposal cites, a discipline, decisions, a cancellation.
    await r.caught_up()
    member = f"/v1/members/{members[1]}/ratings/2025"
    await r.ok("POST", f"{member}/appraisal", json={"level": "excellent", "note": NOTE})
    punished = f"/v1/members/{members[2]}/ratings/2025"
    body = {"measure": "reprimand", "decided_on": "2025-06-01", "reason": DISCIPLINE}
    await r.ok("POST", f"{punished}/discipline", json=body)
    body = {"source": "residence", "from_unit": "Chi bộ khu dân cư", "comment": COMMENT}
    await r.ok("POST", f"{member}/comments", json={**body, "commented_on": "2025-11-02"})
    # People decide, whatever the service could propose from the records.
    levels = ("good", "good", "not_completed")
    decisions = [
        {"subject_id": m, "level": level} for m, level in zip(members, levels, strict=True)
    ]
    await r.ok(
        "POST",
        f"/v1/units/{BRANCH}/ratings/2025/decisions",
        json={"decisions": decisions, **DECIDER},
    )
    cancel = {
        "subject_id": members[2],
        "by_unit_id": "VL",
        "reason": WHY,
        "cancelled_on": "2026-01-20",
    }
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/2025/cancellations", json=cancel)
    await r.caught_up()

    # Nothing of it on the public streams, in any header or body.
    nc = r.runtime.nc
    for stream in ("CHIBO_ATTENDANCE", "CHIBO_RATING"):
        wire = [
            m.data.decode() + repr(m.headers) for m in await read_stream(nc.jetstream(), stream)
        ]
        assert [(x, m) for m in wire for x in TEXTS if x in m] == []
        if stream == "CHIBO_ATTENDANCE":  # a text in the clear would be seen: the topic is
            assert any("Học tập Nghị quyết" in m for m in wire)
    kept_beside = await r.runtime.pool.fetch(
        "SELECT DISTINCT event_type FROM events WHERE stream_id LIKE 'ratings!_private-%' "
        "ESCAPE '!' AND metadata ? 'private'"
    )
    assert {row["event_type"].split(".")[2] for row in kept_beside} == {
        "appraisal_note_recorded",
        "decision_reasons_recorded",
        "decision_cancellation_reason_recorded",
    }

    # Those entitled read them where they read them before.
    view = await t.ok("GET", f"/v1/meetings/{extra}")
    reasons = {line["member_id"]: line["reason"] for line in view["lines"]}
    assert (reasons[members[1]], reasons[members[2]]) == (ILL, LATE)
    assert (await t.ok("GET", f"/v1/meetings/{moved}"))["cancel_reason"] == CANCELLED
    found = await r.ok("GET", f"/v1/units/{BRANCH}/proposals/2025")
    by_member: dict[str, Any] = {p["subject_id"]: p for p in found["proposals"]}
    assert any(NOTE in reason for reason in by_member[members[1]]["reasons"])
    assert any(COMMENT in reason for reason in by_member[members[1]]["reasons"])
    kept = await r.runtime.pool.fetchval(
        "SELECT reasons FROM decisions WHERE subject_id = $1", members[1]
    )
    assert any(NOTE in reason for reason in kept)  # what the committee read when deciding
    assert any(COMMENT in reason for reason in kept)
    assert len(meetings) == 12
