"""The member's workbook opens in a spreadsheet as a person expects: one sheet per kind with a
name Excel accepts (unique, at most 31 characters), text someone typed never run as a
formula, dates as dd/mm/yyyy, codes in words, units by name, and a file name that survives
old clients and keeps the Vietnamese one."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import openpyxl

from chibo_chassis.subject_export import ExportColumn, ExportSection, PersonalData
from chibo_chassis.subject_export.workbook import content_disposition, workbook

LONG = "Một loại dữ liệu có cái tên rất dài vượt quá giới hạn"


def section(kind: str, label: str, rows: list[dict[str, Any]], *keys: str) -> ExportSection:
    columns = [ExportColumn(key=k, label_vi=k.title(), label_en=k) for k in keys]
    return ExportSection(
        kind=kind, source="read_model", label_vi=label, label_en=kind, columns=columns, rows=rows
    )


def found(*sections: ExportSection) -> PersonalData:
    return PersonalData(
        member_id="m1",
        full_name="Lò Thị Hoa",
        service="assignment",
        generated_at=datetime(2025, 3, 5, 12, 30, tzinfo=UTC),
        erased=False,
        legal_basis_vi="Luật 91",
        legal_basis_en="Law 91",
        names={"VL-TT": "Chi bộ thị tứ Võ Lao"},
        sections=list(sections),
    )


def test_sheets_are_named_as_excel_allows_and_cells_read_as_a_person_expects() -> None:
    typed = '=HYPERLINK("http://x")'
    rows = [{"note": typed, "on": date(2025, 3, 5), "status": "full", "branch_id": "VL-TT"}]
    book = openpyxl.load_workbook(
        io.BytesIO(
            workbook(
                found(
                    section("a", "Kỷ luật", rows, "note", "on", "status", "branch_id"),
                    section("b", "Kỷ luật", [], "note"),
                    section("c", LONG, [], "note"),
                ),
                {"a": frozenset({"status"})},
            )
        )
    )
    assert book.sheetnames == ["Thông tin chung", "Kỷ luật", "Kỷ luật 2", LONG[:31]]
    sheet = book["Kỷ luật"]
    note, on, status, branch = sheet[2]
    assert note.value == "'" + typed  # inert text, not a formula
    assert (on.value, on.number_format) == (datetime(2025, 3, 5), "DD/MM/YYYY")
    assert status.value == "chính thức"
    assert branch.value == "Chi bộ thị tứ Võ Lao"
    summary = dict(book["Thông tin chung"].iter_rows(values_only=True))
    assert summary["Thời điểm lập"] == datetime(2025, 3, 5, 19, 30)  # Vietnam's time
    assert summary["Dữ liệu cá nhân đã bị xóa"] == "không"


def test_the_file_name_has_an_ascii_fallback_and_the_vietnamese_original() -> None:
    header = content_disposition('Dữ liệu cá nhân "m1"\r\n')
    assert header.startswith('attachment; filename="Du-lieu-ca-nhan-m1.xlsx"; ')
    exact = "D%E1%BB%AF%20li%E1%BB%87u%20c%C3%A1%20nh%C3%A2n%20%22m1%22%0D%0A.xlsx"
    assert header.endswith(f"filename*=UTF-8''{exact}")  # no quote or line break escapes
