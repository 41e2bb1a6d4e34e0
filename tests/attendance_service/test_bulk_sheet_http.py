"""A 60-member meeting's attendance in one command and one transaction, then a correction,
against real PostgreSQL and NATS; a sheet with one bad line stores nothing at all."""

from __future__ import annotations

import json

from kernel.support import eventually

from .branch import BRANCH, OTHER, create_units, held_body, register, schedule, sheet
from .conftest import Both

MEMBERS = 60


async def test_a_60_member_sheet_and_a_correction(both: Both) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a)
    members = [await register(a, i) for i in range(MEMBERS)]
    outsider = await register(a, 999, OTHER)
    await t.roster_has(BRANCH, "2025-05-06", MEMBERS)
    meeting = await schedule(t, "2025-05-06")
    url = f"/v1/meetings/{meeting}/held"
    absent = {
        members[7]: ("absent_excused", "ốm"),
        members[8]: ("absent_excused", "đi làm ăn xa"),
        members[9]: ("absent_unexcused", None),
    }

    # One line off the roster among 61: refused whole, nothing held, no mark written.
    bad = [*sheet(members, absent), {"member_id": outsider, "status": "present"}]
    response = await t.client.post(url, json=held_body("2025-05-06", members[0], attendance=bad))
    assert response.status_code == 422
    assert "Đảng viên 999" in response.json()["detail"]  # named, the id only in `members`
    assert [m["member_id"] for m in response.json()["members"]] == [outsider]
    assert await t.runtime.pool.fetchval("SELECT count(*) FROM attendance_marks") == 0
    assert await t.runtime.pool.fetchval("SELECT status FROM meetings") == "scheduled"

    body = held_body("2025-05-06", members[0], attendance=sheet(members, absent))
    await t.ok("POST", url, json=body)
    stream = await t.runtime.store.load(f"meetings-{BRANCH}-2025")
    assert [r.event_type.split(".")[2] for r in stream] == [
        "meeting_scheduled",
        "meeting_held",
        "attendance_recorded",
    ]
    assert len(json.loads(stream[-1].data)["marks"]) == MEMBERS
    view = await t.ok("GET", f"/v1/meetings/{meeting}")
    facts = view["facts"]
    assert (facts["expected"], facts["present"]) == (MEMBERS, MEMBERS - 3)
    assert (facts["absent_excused"], facts["absent_unexcused"]) == (2, 1)
    assert facts["attendance_rate"] == round(57 / 60, 4)

    fix = {
        "marks": [
            {"member_id": members[9], "status": "absent_excused", "reason": "báo vắng muộn"},
            {"member_id": members[8], "status": "present"},
        ],
        "reason": "thư ký ghi nhầm",
    }
    await t.ok("POST", f"/v1/meetings/{meeting}/attendance/corrections", json=fix)
    view = await t.ok("GET", f"/v1/meetings/{meeting}")
    assert (view["facts"]["present"], view["facts"]["absent_unexcused"]) == (58, 0)
    corrected = {x["member_id"] for x in view["lines"] if x["corrected"]}
    assert corrected == {members[8], members[9]}

    async def published() -> bool:
        return sum(1 for m in t.wire if "attendance_" in m.subject) == 2

    await eventually(published, timeout=30, what="the sheet and its correction on NATS")
    recorded, correction = (json.loads(m.data) for m in t.wire if "attendance_" in m.subject)
    assert len(recorded["marks"]) == MEMBERS
    assert [m["member_id"] for m in correction["marks"]] == sorted([members[8], members[9]])
    # The history keeps the superseded mark.
    before = {m["member_id"]: m["status"] for m in recorded["marks"]}
    assert before[members[9]] == "absent_unexcused"
