"""A plan's assignments from a spreadsheet, taken whole (Thôn Cây Chanh, seed 001): a sheet
with bad rows is refused with each of them named and saves nothing; corrected, it is saved
together, and the same sheet twice changes nothing."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from .conftest import Service
from .test_duties_http import PLAN, build_cay_chanh

HEADER = ["Số thẻ đảng viên", "Hộ phụ trách", "Nhóm hộ", "Tuyến đường", "Nhiệm vụ"]
GOOD = [
    *([f"{5500000 + i}", "", f"g{i + 1}", "", "tuyen-truyen" if i < 2 else ""] for i in range(8)),
    ["5500008", "", "", "r1", ""],
]
BAD = [
    ["5500009", "", "g1", "", ""],  # group g1 is already someone else's
    ["9999999", "", "", "r2", ""],  # nobody in this branch has that card
    ["5500010", "cc00, cc01", "", "", ""],  # those households are in group g1
    ["5500011", "", "", "r9", ""],  # no such route
]


def workbook(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    return path


async def test_a_plan_sheet_with_bad_rows_is_refused_whole_then_taken_once_corrected(
    service: Service, tmp_path: Path
) -> None:
    client = service.client
    await build_cay_chanh(service)
    pool = service.runtime.pool
    events = await pool.fetchval("SELECT count(*) FROM events")

    async def upload(path: Path) -> tuple[int, dict[str, object]]:
        response = await client.post(
            f"{PLAN}/assignments/import", params={"filename": path.name}, content=path.read_bytes()
        )
        answer: dict[str, object] = response.json()
        return response.status_code, answer

    status, refused = await upload(workbook(tmp_path / "ke-hoach-2024.xlsx", GOOD + BAD))

    assert status == 422, refused
    assert refused["code"] == "sheet_refused"
    rows = refused["rows"]
    assert isinstance(rows, list)
    assert [(r["row"], r["full_name"]) for r in rows] == [
        (11, "Đảng viên Cây Chanh 10"),
        (12, None),
        (13, "Đảng viên Cây Chanh 11"),
        (14, "Đảng viên Cây Chanh 12"),
    ]
    # Group g1 went to Cây Chanh 1 on row 2 of this very sheet: named, never by id.
    assert rows[0]["detail_vi"] == "đã có đảng viên phụ trách: nhóm hộ g1 (Đảng viên Cây Chanh 1)"
    assert "không có đảng viên" in rows[1]["detail_vi"]
    assert await pool.fetchval("SELECT count(*) FROM events") == events
    assert (await client.get(f"{PLAN}/coverage")).json()["members"] == "0/12"

    good = workbook(tmp_path / "ke-hoach-2024-sua.xlsx", GOOD)
    status, first = await upload(good)
    assert status == 200, first
    assert (first["rows"], first["assigned"], first["unchanged"]) == (9, 9, 0)
    assert (await client.get(f"{PLAN}/coverage")).json()["members"] == "9/12"
    events = await pool.fetchval("SELECT count(*) FROM events")

    status, second = await upload(good)
    assert (status, second["assigned"], second["unchanged"]) == (200, 0, 9)
    assert await pool.fetchval("SELECT count(*) FROM events") == events
