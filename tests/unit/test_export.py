"""rating.adapters.export: read models as CSV/XLSX with Vietnamese headers, read back as a
spreadsheet program would, plus the download file name and header."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest

from rating.adapters.export import (
    Column,
    content_disposition,
    csv_chunk,
    export_rows,
    filename,
    media_type,
)

COLUMNS = [
    Column("name", "Họ và tên"),
    Column("active", "Đang sinh hoạt"),
    Column("joined", "Ngày vào Đảng"),
    Column("score", "Tỷ lệ dự họp"),
    Column("roles", "Chức vụ"),
    Column("note", "Ghi chú"),
    Column("count", "Số buổi"),
]
ROWS: list[dict[str, Any]] = [
    {
        "name": "Nguyễn Thị Hồng Nhung",
        "active": True,
        "joined": date(2019, 5, 19),
        "score": 0.96341,
        "roles": ["Bí thư", "Tổ trưởng"],
        "note": "=SUM(A1)",
        "count": -5,
    },
    {
        "name": "Trần Văn Đức",
        "active": False,
        "joined": datetime(2021, 2, 3, 8, 30),
        "score": 1.0,
        "roles": (),
        "note": "-1+2",
        "count": 12,
    },
    {
        "name": "Lê Văn Ân",
        "active": None,
        "joined": None,
        "score": 0.5,
        "roles": [1, 2.5],
        "note": None,
        # "count" missing: exported as an empty cell
    },
]
HEADERS = [c.header_vi for c in COLUMNS]


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def _read_xlsx(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data)).active


# ---- CSV ---------------------------------------------------------------------------------


def test_csv_has_bom_crlf_and_vietnamese_headers_and_values_round_trip() -> None:
    data = export_rows(ROWS, COLUMNS, "csv")
    assert data.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")
    table = _read_csv(data)
    assert table[0] == HEADERS
    assert [r[0] for r in table[1:]] == ["Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lê Văn Ân"]
    assert len(table) == 1 + len(ROWS)


def test_csv_formats_bool_none_date_float_and_list() -> None:
    _, first, second, third = _read_csv(export_rows(ROWS, COLUMNS, "csv"))
    assert first[1:5] == ["có", "2019-05-19", "0.9634", "Bí thư, Tổ trưởng"]
    assert second[1:5] == ["không", "2021-02-03T08:30:00", "1", ""]
    assert third[1:5] == ["", "", "0.5", "1, 2.5"]
    assert third[5:] == ["", ""]  # None and a missing key are both empty


def test_csv_guards_formula_text_but_not_numbers() -> None:
    _, first, second, _ = _read_csv(export_rows(ROWS, COLUMNS, "csv"))
    assert first[5] == "'=SUM(A1)"
    assert second[5] == "'-1+2"
    assert first[6] == "-5"  # a real negative number stays a number


@pytest.mark.parametrize("text", ["+1", "@cmd", "\tx", "\rx"])
def test_csv_guards_every_formula_trigger(text: str) -> None:
    table = _read_csv(export_rows([{"v": text}], [Column("v", "Giá trị")], "csv"))
    assert table[1] == ["'" + text]


def test_csv_negative_float_is_not_prefixed() -> None:
    table = _read_csv(export_rows([{"v": -0.25}], [Column("v", "Điểm")], "csv"))
    assert table[1] == ["-0.25"]


def test_csv_without_rows_is_just_the_header() -> None:
    data = export_rows([], COLUMNS, "csv")
    assert _read_csv(data) == [HEADERS]
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 1


def test_rows_may_be_a_generator() -> None:
    table = _read_csv(export_rows((r for r in ROWS), COLUMNS, "csv"))
    assert len(table) == 1 + len(ROWS)


# ---- XLSX --------------------------------------------------------------------------------


def test_xlsx_header_is_vietnamese_bold_and_frozen() -> None:
    sheet = _read_xlsx(export_rows(ROWS, COLUMNS, "xlsx"))
    header = next(sheet.iter_rows(min_row=1, max_row=1))
    assert [c.value for c in header] == HEADERS
    assert all(c.font.bold for c in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + len(ROWS)


def test_xlsx_keeps_numbers_numeric_and_dates_as_dates() -> None:
    sheet = _read_xlsx(export_rows(ROWS, COLUMNS, "xlsx"))
    assert sheet["G2"].value == -5
    assert sheet["G2"].data_type == "n"
    assert sheet["D2"].value == pytest.approx(0.96341)
    assert sheet["D2"].data_type == "n"
    assert sheet["C2"].is_date
    assert sheet["C2"].value.date() == date(2019, 5, 19)
    assert sheet["C3"].is_date
    assert sheet["C3"].value == datetime(2021, 2, 3, 8, 30)


def test_xlsx_formats_bool_none_and_list() -> None:
    sheet = _read_xlsx(export_rows(ROWS, COLUMNS, "xlsx"))
    assert [sheet["B2"].value, sheet["B3"].value, sheet["B4"].value] == ["có", "không", None]
    assert sheet["E2"].value == "Bí thư, Tổ trưởng"
    assert sheet["E4"].value == "1, 2.5"
    assert sheet["G4"].value is None  # missing key


def test_xlsx_guards_formula_text_so_nothing_is_a_formula() -> None:
    sheet = _read_xlsx(export_rows(ROWS, COLUMNS, "xlsx"))
    assert sheet["F2"].value == "'=SUM(A1)"
    assert sheet["F2"].data_type == "s"
    assert sheet["F3"].value == "'-1+2"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_column_widths_follow_the_header_within_bounds() -> None:
    columns = [Column("a", "Số"), Column("b", "Tỷ lệ dự họp"), Column("c", "x" * 80)]
    sheet = _read_xlsx(export_rows([], columns, "xlsx"))
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [10, len("Tỷ lệ dự họp") + 2, 50]


def test_xlsx_without_rows_is_just_the_header() -> None:
    sheet = _read_xlsx(export_rows([], COLUMNS, "xlsx"))
    assert sheet.max_row == 1
    assert [c.value for c in sheet[1]] == HEADERS


def test_xlsx_survives_control_characters_and_aware_datetimes() -> None:
    from datetime import timedelta, timezone

    ict = timezone(timedelta(hours=7))
    rows = [{"note": "dòng\x01lỗi", "at": datetime(2025, 1, 2, 19, 0, tzinfo=ict)}]
    columns = [Column("note", "Ghi chú"), Column("at", "Thời điểm")]
    sheet = _read_xlsx(export_rows(rows, columns, "xlsx"))
    assert sheet["A2"].value == "dònglỗi"
    assert sheet["B2"].value == datetime(2025, 1, 2, 19, 0)


def test_xlsx_default_sheet_title_is_vietnamese() -> None:
    sheet = _read_xlsx(export_rows([], COLUMNS, "xlsx"))
    assert sheet.title == "Dữ liệu"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Điểm danh [tháng 3/2025]: *?\\", "Điểm danh tháng 32025"),
        ("Danh sách đảng viên chi bộ Võ Lao năm 2025", "Danh sách đảng viên chi bộ Võ L"),
        ("[]:*?/\\", "Dữ liệu"),
    ],
)
def test_xlsx_sheet_title_drops_forbidden_characters_and_fits_31(given: str, expected: str) -> None:
    sheet = _read_xlsx(export_rows([], COLUMNS, "xlsx", sheet_title=given))
    assert sheet.title == expected
    assert len(sheet.title) <= 31
    assert not set(sheet.title) & set("[]:*?/\\")


# ---- download metadata -------------------------------------------------------------------

STEM = "Bảng điểm chi bộ Võ Lao 2025"


def test_media_types() -> None:
    assert media_type("csv") == "text/csv; charset=utf-8"
    assert media_type("xlsx") == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_filename_strips_vietnamese_accents_to_ascii() -> None:
    assert filename(STEM, "xlsx") == "Bang-diem-chi-bo-Vo-Lao-2025.xlsx"
    assert filename("ĐẢNG BỘ đã họp", "csv") == "DANG-BO-da-hop.csv"
    assert filename("../báo cáo/q1", "csv") == "bao-cao-q1.csv"
    assert filename("***", "csv") == "export.csv"


def test_content_disposition_has_ascii_fallback_and_utf8_original() -> None:
    header = content_disposition(STEM, "xlsx")
    assert header.isascii()
    plain, star = header.split("; filename*=")
    assert plain == 'attachment; filename="Bang-diem-chi-bo-Vo-Lao-2025.xlsx"'
    assert star.startswith("UTF-8''")
    encoded = star.removeprefix("UTF-8''")
    assert " " not in encoded
    assert "%E1%BA%A3" in encoded
    assert unquote(encoded, encoding="utf-8") == STEM + ".xlsx"


def test_content_disposition_cannot_break_out_of_the_header() -> None:
    header = content_disposition('a"b\r\nSet-Cookie: x', "csv")
    assert "\r" not in header
    assert "\n" not in header
    assert header.count('"') == 2


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unsupported export format"):
        export_rows([], COLUMNS, "pdf")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unsupported export format"):
        media_type("pdf")  # type: ignore[arg-type]


def test_csv_streamed_in_chunks_is_the_same_file() -> None:
    columns = [Column("name", "Họ và tên"), Column("note", "Ghi chú")]
    rows = [{"name": f"Nguyễn Văn {i}", "note": "=1+1" if i == 3 else "ổn"} for i in range(7)]
    whole = export_rows(rows, columns, "csv")
    pieces = csv_chunk(rows[:3], columns, first=True) + csv_chunk(rows[3:], columns, first=False)
    assert pieces == whole
    assert whole.startswith("\ufeff".encode())
