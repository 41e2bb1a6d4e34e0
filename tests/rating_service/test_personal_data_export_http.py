"""A member asks what the rating service holds about them and gets it at once: their name and
branches as consumed, the branch's appraisal with its note (kept beside the rating book,
found by their data subject), the comments and discipline in their private rating file,
as JSON and as a workbook with Vietnamese headers; the export is in the access log, another
branch's secretary is refused, and once the member's key is destroyed the notes read
"đã xóa"."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from attendance_service.branch import BRANCH, create_units
from signin import bearer

from chibo_chassis.auth import Role
from chibo_kernel.keyring import ERASED_VI

from .conftest import Trio
from .year import register_members

NOTE = "còn nể nang, ngại va chạm trong tự phê bình"
COMMENT = "gương mẫu nơi cư trú, tích cực trong phong trào"
DISCIPLINE = "vi phạm quy định về những điều đảng viên không được làm"
SECRETARY = bearer(Role.BRANCH_SECRETARY, f"LC.VB.VL.{BRANCH}")
OTHER_SECRETARY = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-KC")


async def a_member_with_a_rated_year(trio: Trio) -> str:
    a, r = trio.assignment, trio.rating
    await create_units(a)
    members = await register_members(a, 2)
    await r.caught_up()
    year = f"/v1/members/{members[1]}/ratings/2025"
    await r.ok("POST", f"{year}/appraisal", json={"level": "good", "note": NOTE})
    comment = {"source": "residence", "from_unit": "Chi bộ khu dân cư", "comment": COMMENT}
    await r.ok("POST", f"{year}/comments", json={**comment, "commented_on": "2025-11-02"})
    discipline = {"measure": "reprimand", "decided_on": "2025-06-01", "reason": DISCIPLINE}
    await r.ok("POST", f"{year}/discipline", json=discipline)
    return members[1]


def section(found: dict[str, Any], kind: str) -> dict[str, Any]:
    (chosen,) = [s for s in found["sections"] if s["kind"] == kind]
    return dict(chosen)


def values(found: dict[str, Any], kind: str, key: str) -> list[Any]:
    return [row.get(key) for row in section(found, kind)["rows"]]


async def test_a_member_gets_their_ratings_notes_and_file_at_once(trio: Trio) -> None:
    member_id = await a_member_with_a_rated_year(trio)
    r = trio.rating
    url = f"/v1/members/{member_id}/personal-data"
    answer = await r.signed_in(SECRETARY).get(url)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["full_name"], found["service"]) == ("Đảng viên 001", "rating")
    assert values(found, "member", "full_name") == ["Đảng viên 001"]
    assert values(found, "appraisals", "note") == [NOTE]
    assert values(found, "comments", "comment") == [COMMENT]
    assert values(found, "disciplines", "reason") == [DISCIPLINE]
    assert values(found, "periods", "branch") == ["Chi bộ thị tứ Võ Lao"]
    # From the store: the note beside the book, the file's comment and discipline.
    assert values(found, "appraisal_note_recorded", "note") == [NOTE]
    assert values(found, "comment_recorded", "comment") == [COMMENT]
    assert values(found, "discipline_decided", "reason") == [DISCIPLINE]

    logged = await r.runtime.pool.fetchrow(
        "SELECT * FROM personal_data_reads ORDER BY id DESC LIMIT 1"
    )
    assert (logged["purpose"], logged["target"]) == ("data_subject_request", url)
    assert member_id in logged["subjects"]

    xlsx = await r.signed_in(SECRETARY).get(url, params={"format": "xlsx"})
    assert xlsx.status_code == 200, xlsx.text
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    appraisals = book["Chi bộ đánh giá"]
    headers = [c.value for c in appraisals[1]]
    assert headers == ["Năm", "Chi bộ", "Mức xếp loại", "Nhận xét"]
    assert [c.value for c in appraisals[2]] == [
        2025,
        "Chi bộ thị tứ Võ Lao",
        "hoàn thành tốt nhiệm vụ",
        NOTE,
    ]
    discipline = book["Kỷ luật"]
    row = dict(zip([c.value for c in discipline[1]], discipline[2], strict=True))
    assert row["Ngày quyết định"].number_format == "DD/MM/YYYY"
    assert row["Hình thức"].value == "khiển trách"


async def test_another_branchs_secretary_is_refused_and_an_unknown_member_is_404(
    trio: Trio,
) -> None:
    member_id = await a_member_with_a_rated_year(trio)
    r = trio.rating
    refused = await r.signed_in(OTHER_SECRETARY).get(f"/v1/members/{member_id}/personal-data")
    assert refused.status_code == 403
    assert NOTE not in refused.text
    unknown = await r.client.get("/v1/members/nobody-here/personal-data")
    assert unknown.status_code == 404
    assert "member" in unknown.json()["detail"]
    assert "đảng viên" in unknown.json()["detail_vi"]


async def test_once_the_members_key_is_destroyed_the_notes_read_erased(trio: Trio) -> None:
    member_id = await a_member_with_a_rated_year(trio)
    r = trio.rating
    await r.runtime.store.keyring.destroy(member_id)
    answer = await r.client.get(f"/v1/members/{member_id}/personal-data")
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["erased"] is True
    for text in (NOTE, COMMENT, DISCIPLINE):
        assert text not in answer.text, text
    assert values(found, "appraisal_note_recorded", "note") == [ERASED_VI]
    assert values(found, "appraisals", "note") == [ERASED_VI]
    assert values(found, "appraisals", "level") == ["good"]  # what the counts need stays
    assert values(found, "discipline_decided", "measure") == ["reprimand"]
