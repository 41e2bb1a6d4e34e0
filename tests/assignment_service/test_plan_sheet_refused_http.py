"""A plan's sheet with bad rows is refused whole with 422 (Võ Lao, seed 000): each bad row
named by its row number and its member's name, the holder of a taken household named too,
never an id, and nothing stored; a file of members that cannot be read is refused at once."""

from __future__ import annotations

from chibo_tools.demo.assignment import BRANCH, PLAN, seed_vo_lao

from .conftest import Service
from .test_vo_lao_http import post

HEADER = "Số thẻ đảng viên,Hộ phụ trách,Nhóm hộ,Tuyến đường,Nhiệm vụ\n"


async def test_a_refused_sheet_answers_422_naming_each_member_and_stores_nothing(
    service: Service,
) -> None:
    seeded = await seed_vo_lao(service.client)
    assert seeded is not None
    await post(
        service.client,
        f"/v1/branches/{BRANCH}/households",
        {"households": [{"household_id": "h900", "label": "Hộ mới"}]},
    )
    pool = service.runtime.pool
    events = await pool.fetchval("SELECT count(*) FROM events")
    held = await pool.fetchval("SELECT count(*) FROM plan_assignments")
    sheet = (
        HEADER
        + "9900005,h900,,,\n"  # Đảng viên 06: fine alone, yet not saved
        + "9900000,h901,,,\n"  # Đảng viên 01 is exempt
        + "9900006,h001,,,\n"  # Đảng viên 07 asks for Đảng viên 05's household
        + "1234567,h002,,,\n"  # nobody of the branch has this card
    )

    refused = await service.client.post(
        f"{PLAN}/assignments/import",
        params={"filename": "phan-cong-2024.csv"},
        content=sheet.encode(),
    )

    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == "sheet_refused"
    assert problem["detail_vi"] == (
        "bảng có 3 dòng không hợp lệ nên chưa lưu gì: hãy sửa các dòng đó rồi tải bảng lên lại"
    )
    rows = problem["rows"]
    assert [(r["row"], r["full_name"]) for r in rows] == [
        (3, "Đảng viên 01"),
        (4, "Đảng viên 07"),
        (5, None),
    ]
    assert rows[0]["detail_vi"].startswith(
        "đảng viên Đảng viên 01 được miễn công tác và sinh hoạt đảng từ ngày 01/01/2023"
    )
    assert rows[1]["detail"] == (
        "households already have a responsible member: h001 (Đảng viên 05)"
    )
    assert rows[1]["detail_vi"] == "hộ đã có đảng viên phụ trách: h001 (Đảng viên 05)"
    assert all(member_id not in refused.text for member_id in seeded.members)
    assert await pool.fetchval("SELECT count(*) FROM events") == events
    assert await pool.fetchval("SELECT count(*) FROM plan_assignments") == held


async def test_a_plan_sheet_without_a_card_number_column_is_refused_whole(
    service: Service,
) -> None:
    seeded = await seed_vo_lao(service.client)
    assert seeded is not None
    refused = await service.client.post(
        f"{PLAN}/assignments/import",
        params={"filename": "phan-cong-2024.csv"},
        content="Họ và tên,Hộ phụ trách\nĐảng viên 05,h001\n".encode(),
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "unreadable_sheet"
    assert "số thẻ đảng viên" in refused.json()["detail_vi"]
