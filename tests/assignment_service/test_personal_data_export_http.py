"""A member asks what the assignment service holds about them (Luật Bảo vệ dữ liệu cá nhân
91/2025/QH15, Điều 4 khoản 1 điểm c, d) and gets it at once: their record and identity, the
reasons beside their standing, what their reports and problems say (found by their data
subject wherever they are filed), and the read-model rows about them, as JSON and as a
workbook with Vietnamese headers. Every export is in the access log; another branch's
secretary is refused; once the member's key is destroyed, what it sealed reads "đã xóa"."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import openpyxl
from signin import bearer

from chibo_chassis.auth import Role
from chibo_kernel.keyring import ERASED_VI

from .conftest import Service
from .test_vo_lao_http import post

NAME, CARD = "Lò Văn Thắng", "55009876"
EXEMPTION = "điều trị bệnh phổi dài ngày"
SITUATION = "Hộ Mùa A Sểnh thiếu đói giáp hạt"
PROBLEM = "Đường vào bản Khe Có sạt lở"
COMMENT = "nắm chắc tình hình các hộ"
MONTH = "2025-03"
UNITS = [
    ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
    ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
    ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
    ("VL-TT", "branch", "Chi bộ thị tứ Võ Lao", "VL"),
    ("VL-KC", "branch", "Chi bộ thôn Khe Có", "VL"),
]
SECRETARY = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-TT")
OTHER_SECRETARY = bearer(Role.BRANCH_SECRETARY, "LC.VB.VL.VL-KC")


def member_body(name: str, card: str) -> dict[str, Any]:
    return {
        "full_name": name,
        "branch_id": "VL-TT",
        "admission_date": "2012-05-19",
        "card_number": card,
        "birth_date": "1980-07-15",
    }


async def a_member_with_a_year(service: Service) -> str:
    """A member of VL-TT with households, a month's report, a problem and a review; an
    exemption of a neighbour, whose reason is not theirs to see."""
    client = service.client
    for unit_id, kind, name, parent in UNITS:
        unit = {"unit_id": unit_id, "kind": kind, "name": name, "parent_id": parent}
        await post(client, "/v1/units", {**unit, "valid_from": "2020-01-01"})
    member_id = (await post(client, "/v1/members", member_body(NAME, CARD)))["member_id"]
    other = (await post(client, "/v1/members", member_body("Hà Thị Mai", "55009877")))["member_id"]
    households = [{"household_id": f"h{i}", "label": f"Hộ số {i}"} for i in range(1, 5)]
    await post(client, "/v1/branches/VL-TT/households", {"households": households})
    plan = "/v1/branches/VL-TT/plans/2025"
    await post(client, plan, {})
    assignments = [
        {"member_id": member_id, "household_ids": ["h1", "h2"]},
        {"member_id": other, "household_ids": ["h3", "h4"]},
    ]
    await post(client, f"{plan}/assignments", {"assignments": assignments})
    report = {"member_id": member_id, "situation": SITUATION, "submitted_on": "2025-03-28"}
    reports = [{**report, "problems": [PROBLEM]}]
    await post(client, f"/v1/branches/VL-TT/reports/{MONTH}", {"reports": reports})
    review = {"member_id": member_id, "evaluation": "good", "comment": COMMENT}
    body = {"reviewed_on": "2025-04-05", "reviews": [review]}
    await post(client, f"/v1/branches/VL-TT/reports/{MONTH}/reviews", body)
    for who, why in ((member_id, EXEMPTION), (other, "ốm")):
        exemption = {"from_date": "2025-06-01", "reason": why}
        await post(client, f"/v1/members/{who}/exemption", exemption)
    return str(member_id)


def section(found: dict[str, Any], kind: str) -> dict[str, Any]:
    (chosen,) = [s for s in found["sections"] if s["kind"] == kind]
    return dict(chosen)


def values(found: dict[str, Any], kind: str, key: str) -> list[Any]:
    return [row.get(key) for row in section(found, kind)["rows"]]


async def test_a_member_gets_everything_the_service_holds_about_them_at_once(
    service: Service,
) -> None:
    member_id = await a_member_with_a_year(service)
    answer = await service.client.get(f"/v1/members/{member_id}/personal-data", headers=SECRETARY)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["member_id"], found["full_name"], found["erased"]) == (member_id, NAME, False)
    assert "Điều 4 khoản 1 điểm c, d" in found["legal_basis_vi"]
    (record,) = section(found, "member")["rows"]
    assert (record["full_name"], record["card_number"], record["birth_date"]) == (
        NAME,
        CARD,
        "1980-07-15",
    )
    assert record["branch"] == "Chi bộ thị tứ Võ Lao"  # names, not ids
    assert section(found, "member")["label_vi"] == "Hồ sơ đảng viên"
    # The exemption released the households: the plan's to-do list says so.
    assert values(found, "households", "household") == []
    released = section(found, "released")["rows"]
    assert [(r["which"], r["reason"]) for r in released] == [("h1", "exempted"), ("h2", "exempted")]
    assert values(found, "reports", "comment") == [COMMENT]
    assert values(found, "problems", "description") == [PROBLEM]
    # From the event store: the identity, the texts beside the reports, the reasons.
    assert values(found, "member_identity_recorded", "card_number") == [CARD]
    assert values(found, "report_situation_recorded", "situation") == [SITUATION]
    assert values(found, "problem_description_recorded", "description") == [PROBLEM]
    assert values(found, "exemption_reason_recorded", "reason") == [EXEMPTION]
    assert "ốm" not in answer.text  # the neighbour's reason is theirs
    labels = {s["kind"]: (s["label_vi"], s["label_en"]) for s in found["sections"]}
    assert labels["report_situation_recorded"] == (
        "Nội dung báo cáo hằng tháng",
        "Monthly report texts",
    )

    # The read is in the access log, with its purpose.
    logged = await service.runtime.pool.fetchrow(
        "SELECT * FROM personal_data_reads ORDER BY id DESC LIMIT 1"
    )
    assert logged["purpose"] == "data_subject_request"
    assert logged["route"] == "GET /v1/members/{member_id}/personal-data"
    assert member_id in logged["subjects"]
    assert logged["principal"] == "branch_secretary@LC.VB.VL.VL-TT"


async def test_the_workbook_has_a_sheet_per_kind_with_vietnamese_headers_and_dates(
    service: Service,
) -> None:
    member_id = await a_member_with_a_year(service)
    url = f"/v1/members/{member_id}/personal-data"
    answer = await service.client.get(url, params={"format": "xlsx"}, headers=SECRETARY)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Du-lieu-ca-nhan-')
    assert "filename*=UTF-8''D%E1%BB%AF%20li%E1%BB%87u" in disposition

    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames[0] == "Thông tin chung"
    assert {"Hồ sơ đảng viên", "Báo cáo hằng tháng", "Nội dung báo cáo hằng tháng"} <= set(
        book.sheetnames
    )
    summary = {row[0]: row[1] for row in book["Thông tin chung"].iter_rows(values_only=True)}
    assert summary["Đảng viên"] == NAME
    record = book["Hồ sơ đảng viên"]
    headers = [cell.value for cell in record[1]]
    assert headers[:4] == ["Họ và tên", "Số thẻ đảng viên", "Ngày sinh", "Ngày vào Đảng"]
    row = {h: cell for h, cell in zip(headers, record[2], strict=True)}
    assert (row["Họ và tên"].value, row["Số thẻ đảng viên"].value) == (NAME, CARD)
    assert row["Ngày sinh"].value == datetime(1980, 7, 15)
    assert row["Ngày sinh"].number_format == "DD/MM/YYYY"
    assert row["Chi bộ"].value == "Chi bộ thị tứ Võ Lao"
    assert row["Loại đảng viên"].value == "chính thức"  # the code in words
    texts = book["Nội dung báo cáo hằng tháng"]
    text_headers = [cell.value for cell in texts[1]]
    assert text_headers[0] == "Thời điểm ghi"
    line = dict(zip(text_headers, [c.value for c in texts[2]], strict=True))
    assert line["Nội dung báo cáo"] == SITUATION
    assert line["Chi bộ"] == "Chi bộ thị tứ Võ Lao"
    assert line["Đảng viên"] == NAME  # the member by name where the service knows it

    logged = await service.runtime.pool.fetchval(
        "SELECT subjects FROM personal_data_reads WHERE target = $1", f"{url}?format=xlsx"
    )
    assert member_id in logged


async def test_another_branchs_secretary_is_refused_and_an_unknown_member_is_404_in_both_languages(
    service: Service,
) -> None:
    member_id = await a_member_with_a_year(service)
    before = await service.runtime.pool.fetchval("SELECT count(*) FROM personal_data_reads")
    url = f"/v1/members/{member_id}/personal-data"
    refused = await service.client.get(url, headers=OTHER_SECRETARY)
    assert refused.status_code == 403
    assert NAME not in refused.text
    own = bearer(Role.MEMBER, "LC.VB.VL.VL-TT", member_id)
    assert (await service.client.get(url, headers=own)).status_code == 200
    someone_else = bearer(Role.MEMBER, "LC.VB.VL.VL-TT", "another-member")
    assert (await service.client.get(url, headers=someone_else)).status_code == 403

    unknown = await service.client.get("/v1/members/nobody-here/personal-data")
    assert unknown.status_code == 404
    problem = unknown.json()
    assert "member" in problem["detail"]
    assert "đảng viên" in problem["detail_vi"]
    after = await service.runtime.pool.fetchval("SELECT count(*) FROM personal_data_reads")
    assert after == before + 1  # the member's own read; the refusals read nothing


async def test_once_the_members_key_is_destroyed_the_export_shows_erased_values(
    service: Service,
) -> None:
    member_id = await a_member_with_a_year(service)
    await service.runtime.store.keyring.destroy(member_id)
    answer = await service.client.get(f"/v1/members/{member_id}/personal-data")
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["erased"], found["full_name"]) == (True, ERASED_VI)
    for text in (NAME, CARD, SITUATION, PROBLEM, COMMENT, EXEMPTION):
        assert text not in answer.text, text
    (record,) = section(found, "member")["rows"]
    assert (record["full_name"], record["card_number"]) == (ERASED_VI, ERASED_VI)
    assert values(found, "report_situation_recorded", "situation") == [ERASED_VI]
    assert values(found, "member_identity_recorded", "card_number") == [ERASED_VI]
    assert values(found, "exemption_reason_recorded", "reason") == [ERASED_VI]
    # What the rules count stays: the month, the evaluation, the dates.
    assert values(found, "reports", "evaluation") == ["good"]
    assert values(found, "member_registered", "full_name") == [ERASED_VI]

    xlsx = await service.client.get(
        f"/v1/members/{member_id}/personal-data", params={"format": "xlsx"}
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert ERASED_VI in cells
    assert not {NAME, CARD, SITUATION} & {c for c in cells if isinstance(c, str)}
