"""Acceptance: through the public HTTP APIs, a branch holds its 12 monthly meetings of 2025,
with an exempt member, a member transferred in mid-year, a member absent without reason in
three non-consecutive months, and two visits by a commune committee member. Membership
reaches the attendance service only as events through JetStream."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import nats
from kernel.support import eventually

from chibo_kernel.subjects import subtree_subjects

from .branch import BRANCH, OTHER, create_units, held_body, ok, register, schedule, sheet
from .conftest import Both

PATH = ["LC", "VB", "VL", BRANCH]
UNEXCUSED_MONTHS = (3, 7, 11)
YEAR_STORY = {"meeting_scheduled", "meeting_held", "attendance_recorded", "guest_attended"}


async def test_a_year_of_monthly_meetings(both: Both) -> None:
    a, t = both.assignment, both.attendance
    branch_wire: list[Any] = []  # a subscriber filtering on the branch's subtree only
    watcher = await nats.connect(t.runtime.settings.nats_servers)

    async def seen(msg: Any) -> None:
        branch_wire.append(msg)

    await watcher.subscribe(subtree_subjects("attendance", PATH), cb=seen)

    await create_units(a)
    members = [await register(a, i) for i in range(8)]
    exempt, secretary, absentee = members[0], members[1], members[2]
    await ok(
        a,
        "POST",
        f"/v1/members/{exempt}/exemption",
        json={"from_date": "2024-01-01", "reason": "tuổi cao, sức yếu"},
    )
    await ok(
        a,
        "POST",
        f"/v1/members/{secretary}/roles",
        json={"role": "secretary", "since": "2020-10-01"},
    )
    mover = await register(a, 100, OTHER)
    await ok(
        a,
        "POST",
        f"/v1/members/{mover}/transfer",
        json={"to_branch_id": BRANCH, "on": "2025-06-15"},
    )
    commune = await register(a, 200, OTHER)
    follow = {"level": "commune", "unit_ids": ["VL"]}  # the commune: every branch under it
    await ok(a, "POST", f"/v1/followers/{commune}/years/2025", json=follow)
    district = await register(a, 300, OTHER)
    follow = {"level": "district", "unit_ids": [OTHER]}  # follows the other branch only
    await ok(a, "POST", f"/v1/followers/{district}/years/2025", json=follow)
    await t.roster_has(BRANCH, "2025-12-05", 9)

    guests = {4: [commune], 9: [commune], 10: [district]}
    for month in range(1, 13):
        day = f"2025-{month:02}-05"
        roster = await t.ok("GET", f"/v1/branches/{BRANCH}/roster", params={"on": day})
        standing = {m["member_id"]: m["standing"] for m in roster["members"]}
        expected = [m["member_id"] for m in roster["members"] if m["expected"]]
        # The roster of every month: the exempt member is listed and not expected; the
        # member transferred in on 15 June is expected from July's meeting on.
        assert standing[exempt] == "exempt"
        assert (mover in expected) == (month >= 7), month
        assert sorted(expected) == sorted(members[1:] + ([mover] if month >= 7 else []))
        assert roster["expected"] == len(expected)

        meeting = await schedule(t, day)
        absent = {absentee: ("absent_unexcused", None)} if month in UNEXCUSED_MONTHS else {}
        body = held_body(
            day,
            secretary,
            attendance=sheet(expected, absent),
            guests=[{"member_id": g, "level": "commune"} for g in guests.get(month, [])],
        )
        await t.ok("POST", f"/v1/meetings/{meeting}/held", json=body)

        year = await t.ok("GET", f"/v1/branches/{BRANCH}/years/2025")
        flagged = {f["member_id"]: f["months"] for f in year["removal_review"]}
        # Charter art. 8 surfaces as soon as the third month is recorded, not before.
        assert flagged == ({absentee: ["2025-03", "2025-07", "2025-11"]} if month >= 11 else {})

    year = await t.ok("GET", f"/v1/branches/{BRANCH}/years/2025")
    assert year["months_without_regular_meeting"] == []
    assert [m["regular_meeting"] for m in year["months"]] == ["held"] * 12
    facts = {m["month"]: m["facts"] for m in year["meetings"]}
    assert facts["2025-03"]["attendance_rate"] == round(6 / 7, 4)
    assert facts["2025-03"]["absent_unexcused"] == 1
    assert facts["2025-07"]["expected"] == 8
    assert facts["2025-08"]["attendance_rate"] == 1.0
    assert all(f["duration_minutes"] == 95 and f["at_least_90_minutes"] for f in facts.values())
    assert all(f["absent_more_than_3_in_a_row"] == [] for f in facts.values())

    visits = await t.ok("GET", f"/v1/followers/{commune}/visits/2025")
    assert (visits["total"], visits["outside_assignment"]) == (2, 0)
    visits = await t.ok("GET", f"/v1/followers/{district}/visits/2025")
    assert (visits["total"], visits["outside_assignment"]) == (1, 1)

    # Every record is published, and a subscriber filtering by the branch sees them all.
    want = Counter(
        {
            "meeting_scheduled": 12,
            "meeting_held": 12,
            "attendance_recorded": 12,
            "guest_attended": 3,
        }
    )

    def counted(messages: list[Any]) -> Counter[str]:
        return Counter((m.headers or {})["ce-type"].split(".")[2] for m in messages)

    async def all_published() -> bool:
        return counted(t.wire) == want and counted(branch_wire) == want

    await eventually(all_published, timeout=30, what="the year's records on NATS")
    recorded = [
        json.loads(m.data)
        for m in t.wire
        if (m.headers or {})["ce-type"].endswith("attendance_recorded.v2")
    ]
    march = next(r for r in recorded if r["held_on"] == "2025-03-05")
    assert {m["member_id"]: m["status"] for m in march["marks"]}[absentee] == "absent_unexcused"
    assert all(m.subject.startswith("chibo.attendance.meetings.") for m in t.wire)
    await watcher.drain()
