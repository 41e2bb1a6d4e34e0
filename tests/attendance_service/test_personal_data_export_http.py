"""A member asks what the attendance service holds about them and gets it at once: their
name on the roster as consumed, where they attend, every mark with its reason, the reasons
they gave as recorded beside the meeting books (found by their data subject), as JSON and as
a workbook with Vietnamese headers; the export is in the access log, another branch's
secretary is refused, and once the member's key is destroyed the reasons read "đã xóa"."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from signin import bearer

from chibo_chassis.auth import Role
from chibo_kernel.keyring import ERASED_VI

from .branch import BRANCH, create_units, held_body, register, schedule, sheet
from .conftest import Both

ILL = "sốt xuất huyết, đang điều trị tại trạm y tế xã"
SECRETARY = bearer(Role.BRANCH_SECRETARY, f"LC.VB.VL.{BRANCH}")
OTHER_SECRETARY = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-KC")


async def an_absence(both: Both) -> tuple[str, str]:
    """Two members of the branch; the second missed a meeting, with a reason."""
    a, t = both.assignment, both.attendance
    await create_units(a)
    members = [await register(a, 1), await register(a, 2)]
    await t.roster_has(BRANCH, "2025-03-05", 2)
    meeting = await schedule(t, "2025-03-05", topic="Học tập Nghị quyết")
    marks = sheet(members, {members[1]: ("absent_excused", ILL)})
    await t.ok(
        "POST",
        f"/v1/meetings/{meeting}/held",
        json=held_body("2025-03-05", members[0], attendance=marks),
    )
    return members[1], meeting


def section(found: dict[str, Any], kind: str) -> dict[str, Any]:
    (chosen,) = [s for s in found["sections"] if s["kind"] == kind]
    return dict(chosen)


async def test_a_member_gets_their_marks_and_the_reasons_they_gave(both: Both) -> None:
    member_id, _ = await an_absence(both)
    t = both.attendance
    url = f"/v1/members/{member_id}/personal-data"
    answer = await t.client.get(url, headers=SECRETARY)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["full_name"], found["service"]) == ("Đảng viên 002", "attendance")
    assert section(found, "member")["rows"] == [{"full_name": "Đảng viên 002"}]
    (mark,) = section(found, "attendance")["rows"]
    assert (mark["status"], mark["reason"], mark["branch"]) == (
        "absent_excused",
        ILL,
        "Chi bộ thị tứ Võ Lao",
    )
    (given,) = section(found, "absence_reason_recorded")["rows"]
    assert (given["member_id"], given["reason"]) == (member_id, ILL)
    assert section(found, "absence_reason_recorded")["label_vi"] == "Lý do vắng họp"
    (period,) = section(found, "periods")["rows"]
    assert (period["membership"], period["from_date"]) == ("official", "2010-05-19")

    logged = await t.runtime.pool.fetchrow(
        "SELECT * FROM personal_data_reads ORDER BY id DESC LIMIT 1"
    )
    assert (logged["purpose"], logged["target"]) == ("data_subject_request", url)
    assert member_id in logged["subjects"]

    xlsx = await t.client.get(url, params={"format": "xlsx"}, headers=SECRETARY)
    assert xlsx.status_code == 200, xlsx.text
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    marks = book["Điểm danh"]
    headers = [c.value for c in marks[1]]
    assert headers == [
        "Tháng",
        "Loại sinh hoạt",
        "Thời gian",
        "Chi bộ",
        "Chuyên đề",
        "Điểm danh",
        "Lý do vắng",
        "Số lần sửa",
    ]
    row = dict(zip(headers, marks[2], strict=True))
    assert (row["Điểm danh"].value, row["Lý do vắng"].value) == ("vắng có lý do", ILL)
    assert row["Loại sinh hoạt"].value == "thường kỳ"
    assert row["Thời gian"].number_format == "DD/MM/YYYY HH:MM"
    assert (row["Thời gian"].value.day, row["Thời gian"].value.hour) == (5, 19)  # Vietnam's time
    reasons = book["Lý do vắng họp"]
    assert [c.value for c in reasons[1]][:2] == ["Thời điểm ghi", "Mã cuộc họp"]


async def test_another_branchs_secretary_is_refused_and_an_unknown_member_is_404(
    both: Both,
) -> None:
    member_id, _ = await an_absence(both)
    t = both.attendance
    count = "SELECT count(*) FROM personal_data_reads"
    before = await t.runtime.pool.fetchval(count)
    refused = await t.client.get(f"/v1/members/{member_id}/personal-data", headers=OTHER_SECRETARY)
    assert refused.status_code == 403
    assert ILL not in refused.text
    unknown = await t.client.get("/v1/members/nobody-here/personal-data")
    assert unknown.status_code == 404
    assert "member" in unknown.json()["detail"]
    assert "đảng viên" in unknown.json()["detail_vi"]
    assert await t.runtime.pool.fetchval(count) == before  # a refusal reads nothing


async def test_once_the_members_key_is_destroyed_the_reasons_read_erased(both: Both) -> None:
    member_id, _ = await an_absence(both)
    t = both.attendance
    await t.runtime.store.keyring.destroy(member_id)
    answer = await t.client.get(f"/v1/members/{member_id}/personal-data")
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["erased"] is True
    assert ILL not in answer.text
    (given,) = section(found, "absence_reason_recorded")["rows"]
    assert given["reason"] == ERASED_VI
    (mark,) = section(found, "attendance")["rows"]
    assert (mark["status"], mark["reason"]) == ("absent_excused", ERASED_VI)  # the fact stays
