"""A plan's assignments from a spreadsheet: bad rows reported and harmless, the same sheet
twice changes nothing (Thôn Cây Chanh, seed 001)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from .conftest import Service
from .test_duties_http import PLAN, build_cay_chanh


async def test_a_plan_sheet_assigns_good_rows_reports_bad_ones_and_is_idempotent(
    service: Service, tmp_path: Path
) -> None:
    client = service.client
    await build_cay_chanh(service)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Số thẻ đảng viên", "Hộ phụ trách", "Nhóm hộ", "Tuyến đường", "Nhiệm vụ"])
    for i in range(8):
        sheet.append([f"{5500000 + i}", "", f"g{i + 1}", "", "tuyen-truyen" if i < 2 else ""])
    sheet.append(["5500008", "", "", "r1", ""])
    sheet.append(["5500009", "", "g1", "", ""])  # group g1 is already someone else's
    sheet.append(["9999999", "", "", "r2", ""])  # nobody in this branch has that card
    sheet.append(["5500010", "cc00, cc01", "", "", ""])  # those households are in group g1
    sheet.append(["5500011", "", "", "r9", ""])  # no such route
    path = tmp_path / "ke-hoach-2024.xlsx"
    book.save(path)

    async def upload() -> dict[str, object]:
        response = await client.post(
            f"{PLAN}/assignments/import",
            params={"filename": path.name},
            content=path.read_bytes(),
        )
        assert response.status_code == 200, response.text
        result: dict[str, object] = response.json()
        return result

    first = await upload()
    assert (first["rows"], first["assigned"], first["unchanged"]) == (13, 9, 0)
    errors = first["errors"]
    assert isinstance(errors, list)
    assert [e["line"] for e in errors] == [11, 12, 13, 14]
    assert "đã có đảng viên phụ trách" in errors[0]["reason_vi"]
    assert "không có đảng viên" in errors[1]["reason_vi"]
    coverage = (await client.get(f"{PLAN}/coverage")).json()
    assert coverage["members"] == "9/12"
    events = await service.runtime.pool.fetchval("SELECT count(*) FROM events")

    second = await upload()
    assert (second["assigned"], second["unchanged"]) == (0, 9)
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == events
