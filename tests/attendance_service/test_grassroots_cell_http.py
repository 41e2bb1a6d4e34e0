"""A chi bộ cơ sở's meetings (its members meet in it directly, Điều lệ Đảng art. 21 khoản 3):
its members registered in the assignment service reach its roster here through NATS, and
it holds meetings with a sheet and the quality facts as a branch does. A grassroots unit
with branches holds none: its members meet in the branches."""

from __future__ import annotations

from typing import Any

from kernel.support import eventually

from .branch import create_units, held_body, register, sheet
from .conftest import Both

CELL = "MV-TH"
UNITS = [
    ("HG", "province", "Đảng bộ tỉnh Hà Giang", None),
    ("MV", "district", "Đảng bộ huyện Mèo Vạc", "HG"),
    (CELL, "grassroots", "Chi bộ Trường THPT Mèo Vạc", "MV"),
    ("MV-TT", "grassroots", "Đảng bộ thị trấn Mèo Vạc", "MV"),
    ("MV-TT-1", "branch", "Chi bộ tổ dân phố 1", "MV-TT"),
]
MEETING = {"kind": "regular", "scheduled_for": "2025-03-05T19:30:00+07:00", "place": "Hội trường"}


async def test_a_chi_bo_co_so_gets_its_roster_and_holds_a_meeting_with_its_sheet(
    both: Both,
) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a, UNITS)
    members = [await register(a, i, CELL) for i in range(8)]
    await a.client.post(
        f"/v1/members/{members[0]}/roles", json={"role": "secretary", "since": "2020-01-01"}
    )

    # The roster arrives through NATS, keyed by the chi bộ cơ sở's own id.
    roster = await t.roster_has(CELL, "2025-03-05", 8)
    assert {m["member_id"] for m in roster} == set(members)
    assert all(m["expected"] for m in roster)

    found = await t.ok("POST", f"/v1/branches/{CELL}/meetings", json=MEETING)
    meeting = found["meeting_id"]
    absent = {members[7]: ("absent_excused", "ốm")}
    body = held_body("2025-03-05", members[0], attendance=sheet(members, absent))
    await t.ok("POST", f"/v1/meetings/{meeting}/held", json=body)

    view = await t.ok("GET", f"/v1/meetings/{meeting}")
    assert {line["member_id"]: line["state"] for line in view["lines"]}[members[7]] == (
        "absent_excused"
    )
    facts = view["facts"]
    assert (facts["expected"], facts["present"], facts["absent_excused"]) == (8, 7, 1)
    assert facts["attendance_rate"] == round(7 / 8, 4)
    assert facts["absent_unexcused"] == 0
    assert facts["at_least_90_minutes"]
    assert facts["minutes_recorded"]
    assert facts["prepared_by_committee"]
    year = await t.ok("GET", f"/v1/branches/{CELL}/years/2025")
    months = {m["month"]: m["regular_meeting"] for m in year["months"]}
    assert months["2025-03"] == "held"

    async def published() -> bool:
        subjects = {m.subject for m in t.wire}
        return f"chibo.attendance.meetings.attendance_recorded.v2.HG.MV.{CELL}._" in subjects

    await eventually(published, timeout=30, what="the chi bộ cơ sở's sheet on NATS")


async def test_a_grassroots_unit_with_branches_holds_no_meeting(both: Both) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a, UNITS)
    await register(a, 1, "MV-TT-1")
    await t.roster_has("MV-TT-1", "2025-03-05", 1)  # the tree has arrived as well
    before = await t.runtime.pool.fetchval("SELECT count(*) FROM events")

    response = await t.client.post("/v1/branches/MV-TT/meetings", json=MEETING)

    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    assert problem["code"] == "grassroots_has_branches"
    assert "Đảng bộ thị trấn Mèo Vạc (MV-TT)" in problem["detail"]
    assert "MV-TT-1" in problem["detail"]
    assert "Đảng bộ thị trấn Mèo Vạc (MV-TT)" in problem["detail_vi"]
    assert problem["detail_vi"] != problem["detail"]
    assert await t.runtime.pool.fetchval("SELECT count(*) FROM events") == before
