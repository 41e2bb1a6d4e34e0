"""A member entered late changes nothing recorded before the day they began attending the
branch. Imported through the assignment service (the branch named as the national database
exports it), the member reaches the roster as `member_registered.v3` through JetStream, and
their period starts on `attending_since`: the day of the import when the file says none, so
the facts of the meetings already held stay as they were; the day the file says otherwise."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from assignment_service.conftest import Service
from assignment_service.test_member_import_http import import_file

from chibo_kernel.clock import VIETNAM

from . import branch
from .branch import BRANCH
from .conftest import Attendance, Both

LAST_YEAR = datetime.now(VIETNAM).year - 1
DAYS = [f"{LAST_YEAR}-03-05", f"{LAST_YEAR}-04-05", f"{LAST_YEAR}-05-05"]
NEWCOMER = "Hoàng Văn Cụ"
BRANCH_NAME = "Chi bộ thị tứ Võ Lao"  # as the national member database exports it


async def held_meetings(t: Attendance, members: list[str]) -> list[str]:
    """One meeting on each of DAYS; the third member absent without reason from the first."""
    meetings = []
    for i, day in enumerate(DAYS):
        meeting = await branch.schedule(t, day)
        absent = {members[2]: ("absent_unexcused", None)} if i == 0 else {}
        body = branch.held_body(day, members[0], attendance=branch.sheet(members, absent))
        await t.ok("POST", f"/v1/meetings/{meeting}/held", json=body)
        meetings.append(meeting)
    return meetings


async def figures(t: Attendance, meetings: list[str]) -> list[tuple[int, float, int]]:
    """Each meeting's expected members, attendance rate and lines not recorded."""
    found = []
    for meeting in meetings:
        facts = (await t.ok("GET", f"/v1/meetings/{meeting}"))["facts"]
        found.append((facts["expected"], facts["attendance_rate"], facts["not_recorded"]))
    return found


async def import_newcomer(a: Service, tmp_path: Path, attending_since: str | None) -> str:
    """A member admitted in 1985 imported now; their id."""
    headers = "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ"
    row = f"{NEWCOMER},02/01/1960,19/05/1985,88009999,{BRANCH_NAME}"
    if attending_since is not None:
        headers, row = f"{headers},Ngày sinh hoạt tại chi bộ", f"{row},{attending_since}"
    path = tmp_path / "dang-vien.csv"
    path.write_text(f"{headers}\n{row}\n", encoding="utf-8")
    report = await import_file(a.client, path)
    assert (report["status"], report["imported"], report["errors"]) == ("done", 1, []), report
    member_id = await a.runtime.pool.fetchval(
        "SELECT member_id FROM members WHERE full_name = $1", NEWCOMER
    )
    assert isinstance(member_id, str)
    return member_id


async def standing_on(t: Attendance, day: date | str) -> dict[str, str]:
    roster = await t.ok("GET", f"/v1/branches/{BRANCH}/roster", params={"on": str(day)})
    return {m["member_id"]: m["standing"] for m in roster["members"]}


async def test_a_member_admitted_in_1985_imported_today_changes_no_meeting_already_held(
    both: Both, tmp_path: Path
) -> None:
    a, t = both.assignment, both.attendance
    await branch.create_units(a)
    members = [await branch.register(a, i) for i in range(3)]
    await t.roster_has(BRANCH, DAYS[0], 3)
    meetings = await held_meetings(t, members)
    before = await figures(t, meetings)
    assert before == [(3, round(2 / 3, 4), 0), (3, 1.0, 0), (3, 1.0, 0)]

    newcomer = await import_newcomer(a, tmp_path, attending_since=None)
    today = datetime.now(VIETNAM).date()
    await t.roster_has(BRANCH, today.isoformat(), 4)

    assert await figures(t, meetings) == before
    for day in DAYS:
        assert newcomer not in await standing_on(t, day)
    assert newcomer not in await standing_on(t, today - timedelta(days=1))
    assert (await standing_on(t, today))[newcomer] == "expected"
    # A meeting held today expects them: a sheet without them is not complete.
    meeting = await meeting_held_just_now(t, members)
    refused = await t.client.post(f"/v1/meetings/{meeting['id']}/held", json=meeting["body"])
    assert refused.status_code == 422, refused.text
    assert NEWCOMER in refused.json()["detail_vi"]
    meeting["body"]["attendance"] = branch.sheet([*members, newcomer])
    await t.ok("POST", f"/v1/meetings/{meeting['id']}/held", json=meeting["body"])
    assert await figures(t, [meeting["id"]]) == [(4, 1.0, 0)]


async def meeting_held_just_now(t: Attendance, members: list[str]) -> dict[str, Any]:
    """A meeting of today, scheduled; the body that records it held with the old sheet."""
    now = datetime.now(VIETNAM).replace(microsecond=0)
    started, ended = now - timedelta(minutes=3), now - timedelta(minutes=1)
    body = {"kind": "extraordinary", "scheduled_for": started.isoformat(), "place": "Nhà văn hóa"}
    found = await t.ok("POST", f"/v1/branches/{BRANCH}/meetings", json=body)
    held = {
        "started_at": started.isoformat(),
        "ended_at": ended.isoformat(),
        "place": "Nhà văn hóa",
        "chair_id": members[0],
        "minutes_recorded": True,
        "prepared_by_committee": True,
        "attendance": branch.sheet(members),
    }
    return {"id": found["meeting_id"], "body": held}


async def test_a_member_attending_since_a_day_in_the_past_counts_at_the_meetings_from_then(
    both: Both, tmp_path: Path
) -> None:
    a, t = both.assignment, both.attendance
    await branch.create_units(a)
    members = [await branch.register(a, i) for i in range(3)]
    await t.roster_has(BRANCH, DAYS[0], 3)
    meetings = await held_meetings(t, members)
    before = await figures(t, meetings)

    newcomer = await import_newcomer(a, tmp_path, attending_since=f"01/04/{LAST_YEAR}")
    await t.roster_has(BRANCH, DAYS[1], 4)

    # March's meeting stays as it was; April's and May's now expect the newcomer too, whose
    # line the sheet lacks (`not_recorded`) until the secretary corrects it.
    assert await figures(t, meetings) == [before[0], (4, 0.75, 1), (4, 0.75, 1)]
    assert newcomer not in await standing_on(t, f"{LAST_YEAR}-03-31")
    assert (await standing_on(t, f"{LAST_YEAR}-04-01"))[newcomer] == "expected"
    lines = (await t.ok("GET", f"/v1/meetings/{meetings[1]}"))["lines"]
    mine = [(line["full_name"], line["state"]) for line in lines if line["member_id"] == newcomer]
    assert mine == [(NEWCOMER, "not_recorded")]
