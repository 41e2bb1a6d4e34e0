"""Reading a meeting's attendance sheet (who came, who was absent and why: sensitive data
under Decree 356/2025) is logged at the attendance service with everyone the sheet names:
the members marked, the chair, the guests from above."""

from __future__ import annotations

from signin import bearer

from chibo_chassis.auth import Role

from .branch import BRANCH, OTHER, create_units, held_body, register, schedule, sheet
from .conftest import Both

SECRETARY = bearer(Role.BRANCH_SECRETARY, f"LC.VB.VL.{BRANCH}")


async def test_reading_a_meetings_sheet_logs_everyone_it_names_and_why(both: Both) -> None:
    a, t = both.assignment, both.attendance
    await create_units(a)
    chair, present, absent = [await register(a, i) for i in (1, 2, 3)]
    guest = await register(a, 4, OTHER)  # a commune committee member from another branch
    await t.roster_has(BRANCH, "2025-03-05", 3)
    meeting = await schedule(t, "2025-03-05")
    marks = sheet([chair, present, absent], {absent: ("absent_excused", "ốm, nằm viện")})
    body = held_body(
        "2025-03-05", chair, attendance=marks, guests=[{"member_id": guest, "level": "commune"}]
    )
    await t.ok("POST", f"/v1/meetings/{meeting}/held", json=body)
    seen = await t.runtime.pool.fetchval("SELECT coalesce(max(id), 0) FROM personal_data_reads")

    answer = await t.client.get(
        f"/v1/meetings/{meeting}", headers={**SECRETARY, "X-Purpose": "monthly_meeting"}
    )
    assert answer.status_code == 200, answer.text
    assert "ốm, nằm viện" in answer.text
    (read,) = await t.runtime.pool.fetch("SELECT * FROM personal_data_reads WHERE id > $1", seen)
    assert read["subjects"] == sorted([chair, present, absent, guest])
    assert (read["principal"], read["role"]) == (
        f"branch_secretary@LC.VB.VL.{BRANCH}",
        "branch_secretary",
    )
    assert read["route"] == "GET /v1/meetings/{meeting_id}"
    assert (read["purpose"], read["result_count"]) == ("monthly_meeting", 1)
