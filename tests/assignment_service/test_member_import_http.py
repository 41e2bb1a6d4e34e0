"""Importing a 5,000-member export with 20 bad rows through the HTTP API, twice."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import openpyxl
from kernel.support import eventually
from signin import AUTH_ENV

from .conftest import Service

BRANCHES = [f"B{i:02}" for i in range(1, 11)]
HEADERS = ["Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Số thẻ đảng viên", "Chi bộ"]


def export_with_bad_rows(path: Path) -> dict[int, str]:
    """5,000 rows as the national database exports them; returns {line: bad field}."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    bad: dict[int, str] = {}
    for i in range(5000):
        line = i + 2
        name = f"Nguyễn Văn Thành {i}"
        if i % 7 == 0:
            name = unicodedata.normalize("NFD", name)  # some tools export decomposed text
        row: list[Any] = [
            name,
            f"{(i % 28) + 1:02}/03/1970" if i % 2 else date(1970, 3, (i % 28) + 1),
            "19/05/2005",
            f"{10_000_000 + i}",
            BRANCHES[i % len(BRANCHES)],
        ]
        kind = i % 250  # 20 bad rows, four of each kind
        if i % 250 == 249:
            kind = (i // 250) % 5
            if kind == 0:
                row[0], bad[line] = "", "name"
            elif kind == 1:
                row[1], bad[line] = "31/02/1970", "birth_date"
            elif kind == 2:
                row[3], bad[line] = "12AB567", "card_number"
            elif kind == 3:
                row[4], bad[line] = "B99", "branch_code"
            else:
                row[3], bad[line] = (
                    f"{10_000_000 + i - 1}",
                    "card_number",
                )  # same card, other person
        sheet.append(row)
    book.save(path)
    return bad


async def build_branches(client: httpx.AsyncClient) -> None:
    units = [("LC", "province", None), ("VB", "district", "LC"), ("VL", "grassroots", "VB")]
    units += [(b, "branch", "VL") for b in BRANCHES]
    for unit_id, kind, parent in units:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": f"Đơn vị {unit_id}",
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        assert (await client.post("/v1/units", json=body)).status_code == 201


async def import_file(client: httpx.AsyncClient, path: Path) -> dict[str, Any]:
    started = await client.post(
        "/v1/imports/members", params={"filename": path.name}, content=path.read_bytes()
    )
    assert started.status_code == 202, started.text
    job_url = f"/v1/imports/{started.json()['job_id']}"
    status: dict[str, Any] = {}

    async def finished() -> bool:
        status.update((await client.get(job_url)).json())
        return bool(status["status"] != "running")

    await eventually(finished, timeout=120, what="the import job")
    return status


async def test_a_5000_member_export_imports_4980_reports_20_and_is_idempotent(
    service: Service, tmp_path: Path
) -> None:
    client = service.client
    await build_branches(client)
    bad = export_with_bad_rows(tmp_path / "dang-vien.xlsx")
    assert len(bad) == 20

    first = await import_file(client, tmp_path / "dang-vien.xlsx")

    assert first["status"] == "done", first
    assert (first["rows"], first["imported"], first["unchanged"]) == (5000, 4980, 0)
    assert {e["line"]: e["field"] for e in first["errors"]} == bad
    assert all(e["reason"] and e["reason_vi"] for e in first["errors"])
    assert first["processed"] == first["to_write"] == 4980
    pool = service.runtime.pool
    assert await pool.fetchval("SELECT count(*) FROM members") == 4980
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Thành 7")
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM members WHERE full_name = $1", "Nguyễn Văn Thành 7"
        )
        == 1
    )
    assert decomposed != "Nguyễn Văn Thành 7"  # the file held it decomposed
    # Each member's identity in a private stream of its own, beside the public one.
    per_category = await pool.fetch(
        "SELECT split_part(stream_id, '-', 1) AS category, count(*) AS events,"
        " count(*) FILTER (WHERE metadata ? 'private') AS private FROM events"
        " WHERE stream_id LIKE 'member%' GROUP BY 1 ORDER BY 1"
    )
    assert [tuple(r) for r in per_category] == [
        ("member", 4980, 0),
        ("member_private", 4980, 4980),
    ]
    events = await pool.fetchval("SELECT count(*) FROM events")

    second = await import_file(client, tmp_path / "dang-vien.xlsx")

    assert (second["imported"], second["unchanged"], len(second["errors"])) == (0, 4980, 20)
    assert await pool.fetchval("SELECT count(*) FROM events") == events


async def test_a_file_without_the_needed_columns_is_refused_at_once_with_422(
    service: Service, tmp_path: Path
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("Họ và tên;Chi bộ\nNguyễn Văn A;B01\n", encoding="utf-8")
    refused = await service.client.post(
        "/v1/imports/members", params={"filename": path.name}, content=path.read_bytes()
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "missing_columns"
    assert "ngày sinh" in refused.json()["detail_vi"].lower()
    assert await service.runtime.pool.fetchval("SELECT count(*) FROM events") == 0


async def test_a_file_that_is_not_a_workbook_is_refused_at_once_with_422(
    service: Service,
) -> None:
    refused = await service.client.post(
        "/v1/imports/members", params={"filename": "dang-vien.xlsx"}, content=b"not a workbook"
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "unreadable_file"
    assert "không phải tệp XLSX" in refused.json()["detail_vi"]


async def test_the_import_command_shows_progress_and_reports_bad_rows(
    service: Service, tmp_path: Path
) -> None:
    await build_branches(service.client)
    path = tmp_path / "chi-bo.csv"
    path.write_text(
        "\ufeffHọ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ\n"
        "Lò Văn Páo,02/09/1980,03/02/2010,20000001,B01\n"
        "Giàng Thị Mỷ,15/06/1992,19/05/2019,20000002,B02\n"
        "Vàng Seo Chứ,01/01/2030,19/05/2019,20000003,B02\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        **AUTH_ENV,
        "CHIBO_ASSIGNMENT_DATABASE_URL": service.runtime.settings.database_url,
        "CHIBO_NATS_URL": "nats://127.0.0.1:1",
    }
    result = await asyncio.to_thread(
        subprocess.run,
        [str(Path(sys.executable).parent / "chibo-assignment"), "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "2/2 members written" in result.stderr
    assert result.stdout.splitlines()[0] == "3 rows: 2 imported, 0 unchanged, 1 refused"
    assert result.stdout.splitlines()[1].startswith("line 4: birth_date: ")


async def test_each_refused_row_of_a_job_names_the_member_as_the_row_writes_them(
    service: Service, tmp_path: Path
) -> None:
    await build_branches(service.client)
    decomposed = unicodedata.normalize("NFD", "Vàng  Seo Chứ")
    path = tmp_path / "chi-bo.csv"
    path.write_text(
        "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ\n"
        "Lò Văn Páo,02/09/1980,03/02/2010,20000001,B01\n"
        f"{decomposed},01/01/2030,19/05/2019,20000003,B02\n"
        ",15/06/1992,19/05/2019,20000004,B02\n"
        "Giàng Thị Mỷ,15/06/1992,19/05/2019,20000005,B99\n"
        "Lò Thị Dung,02/09/1981,03/02/2010,20000001,B01\n",
        encoding="utf-8",
    )

    status = await import_file(service.client, path)

    assert status["status"] == "done", status
    named = {e["line"]: (e["field"], e.get("full_name")) for e in status["errors"]}
    assert named == {
        3: ("birth_date", "Vàng Seo Chứ"),  # NFC, as people read it, spaces collapsed
        4: ("name", None),
        5: ("branch_code", "Giàng Thị Mỷ"),
        6: ("card_number", "Lò Thị Dung"),
    }
    assert all(e["reason"] and e["reason_vi"] for e in status["errors"])
