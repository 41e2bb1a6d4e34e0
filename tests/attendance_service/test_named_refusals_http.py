"""A refused sheet names the members it concerns by full name, in English and in Vietnamese,
never by id; the ids go to programs in the answer's `members`. Over HTTP beside the
assignment service, with NATS: the names are the roster's as consumed, and someone off the
roster (a member of another branch, a chair from elsewhere) is named from the names the
service holds for every member. Nothing of a refused command is stored."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from attendance.domain.named_refusal import MembersRefused
from attendance.domain.roster import Roster, RosterEntry
from attendance.domain.sheet import check_complete
from chibo_kernel.keyring import ERASED_VI

from .branch import BRANCH, OTHER, create_units, held_body, ok, schedule, sheet
from .conftest import Attendance, Both

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
NEIGHBOUR = "Hoàng Văn Em"


async def register(both: Both, name: str, index: int, branch: str = BRANCH) -> str:
    body = {
        "full_name": name,
        "branch_id": branch,
        "admission_date": "2010-05-19",
        "card_number": f"{7700000 + index}",
        "birth_date": "1970-01-01",
    }
    return str((await ok(both.assignment, "POST", "/v1/members", json=body))["member_id"])


async def refused(t: Attendance, url: str, body: dict[str, Any], code: str) -> dict[str, Any]:
    """Refused with `code`, and nothing stored: no event, no mark, the meeting not held."""
    pool = t.runtime.pool
    before = await pool.fetchval("SELECT count(*) FROM events")
    response = await t.client.post(url, json=body)
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code, problem
    assert await pool.fetchval("SELECT count(*) FROM events") == before
    assert await pool.fetchval("SELECT count(*) FROM attendance_marks") == 0
    return problem


def assert_named(problem: dict[str, Any], named: dict[str, str], ids: list[str]) -> None:
    """Each member concerned by name in both texts; no member's id in either."""
    for name in named.values():
        assert name in problem["detail"], problem
        assert name in problem["detail_vi"], problem
    for member_id in ids:
        assert member_id not in problem["detail"]
        assert member_id not in problem["detail_vi"]
    listed = {m["member_id"]: m["full_name"] for m in problem["members"]}
    assert listed == named


async def test_a_sheet_leaving_out_two_members_answers_422_naming_both(both: Both) -> None:
    t = both.attendance
    await create_units(both.assignment)
    members = [await register(both, name, i) for i, name in enumerate(NAMES)]
    neighbour = await register(both, NEIGHBOUR, 9, OTHER)
    await t.roster_has(BRANCH, "2025-03-05", len(NAMES))
    await t.roster_has(OTHER, "2025-03-05", 1)
    meeting = await schedule(t, "2025-03-05")
    url = f"/v1/meetings/{meeting}/held"

    left_out = {members[2]: NAMES[2], members[3]: NAMES[3]}
    body = held_body("2025-03-05", members[0], attendance=sheet(members[:2]))
    problem = await refused(t, url, body, "sheet_incomplete")
    assert_named(problem, left_out, members)
    assert problem["detail"].startswith("the sheet leaves out members the branch expected: ")
    assert problem["detail_vi"] == (
        "bảng điểm danh còn thiếu đảng viên phải dự họp: Lê Văn Cường, Phạm Thị Dung"
    )
    assert (await t.ok("GET", f"/v1/meetings/{meeting}"))["status"] == "scheduled"

    # A member of another branch on the sheet, and as the chair: named from all the names
    # the service holds, though not on this roster.
    body = held_body("2025-03-05", members[0], attendance=sheet([*members, neighbour]))
    problem = await refused(t, url, body, "not_on_roster")
    assert_named(problem, {neighbour: NEIGHBOUR}, [*members, neighbour])
    assert "05/03/2025" in problem["detail_vi"]
    problem = await refused(t, url, held_body("2025-03-05", neighbour), "chair_not_on_roster")
    assert_named(problem, {neighbour: NEIGHBOUR}, [neighbour])

    # Reasons wrong for two members at once: both named, each kind of mistake on its own.
    absent = {members[1]: ("absent_excused", None), members[3]: ("absent_excused", None)}
    body = held_body("2025-03-05", members[0], attendance=sheet(members, absent))
    problem = await refused(t, url, body, "reason_required")
    assert_named(problem, {members[1]: NAMES[1], members[3]: NAMES[3]}, members)

    # An id nobody knows is said to be unknown, and still listed for programs.
    body = held_body("2025-03-05", members[0], attendance=sheet([*members, "no-such-member"]))
    problem = await refused(t, url, body, "not_on_roster")
    assert "unknown to this service" in problem["detail"]
    assert "chưa có trong dữ liệu" in problem["detail_vi"]
    assert problem["members"] == [{"member_id": "no-such-member", "full_name": None}]


def test_an_erased_member_is_named_erased_in_english_and_da_xoa_in_vietnamese() -> None:
    entries = [
        RosterEntry("m1", "Nguyễn Văn An", "official", "expected", False),
        RosterEntry("m2", ERASED_VI, "official", "expected", False),
    ]
    roster = Roster("B", date(2025, 3, 5), entries)
    with pytest.raises(MembersRefused) as raised:
        check_complete([], roster)
    assert raised.value.message_en.endswith(": Nguyễn Văn An, erased")
    assert raised.value.message_vi.endswith(": Nguyễn Văn An, đã xóa")
    assert raised.value.details["members"] == [
        {"member_id": "m1", "full_name": "Nguyễn Văn An"},
        {"member_id": "m2", "full_name": ERASED_VI},
    ]
