"""Reading member export files: CSV dialects, XLSX sheets, line numbers and unreadable files."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from assignment.adapters.member_file import MemberFileError, count_rows, read_member_file
from assignment.domain.member_columns import map_headers
from assignment.domain.member_rows import MemberRow, RowError, dedupe, validate_row

HEADER = "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ"
ROW = "Nguyễn Văn An,15/08/1980,03/02/2005,123456789,CB-01"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, first_title: str = "Đảng viên") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = first_title
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("Khác")
    other.append(["không phải sheet đầu"])
    workbook.active = 1  # the reader must take the first sheet, not whichever was left open
    workbook.save(path)
    return path


# --- CSV -----------------------------------------------------------------------------------


def test_a_utf8_csv_yields_rows_keyed_by_its_own_headers_from_line_two(tmp_path: Path) -> None:
    path = write(tmp_path / "members.csv", f"{HEADER}\n{ROW}\n")
    assert list(read_member_file(path)) == [
        (
            2,
            {
                "Họ và tên": "Nguyễn Văn An",
                "Ngày sinh": "15/08/1980",
                "Ngày vào Đảng": "03/02/2005",
                "Số thẻ đảng viên": "123456789",
                "Chi bộ": "CB-01",
            },
        )
    ]


def test_a_byte_order_mark_does_not_end_up_in_the_first_header(tmp_path: Path) -> None:
    path = write(tmp_path / "members.csv", f"{HEADER}\r\n{ROW}\r\n", encoding="utf-8-sig")
    [(_, raw)] = read_member_file(path)
    assert next(iter(raw)) == "Họ và tên"


def test_semicolon_separated_files_from_excel_are_recognised(tmp_path: Path) -> None:
    text = "\ufeffho va ten;ngay sinh;ngay vao dang;so the;chi bo\n"
    text += '"Trần, Thị Bình";1990-01-02;2015-05-19;1234 5678;CB-02\n'
    [(line, raw)] = read_member_file(write(tmp_path / "members.CSV", text))
    assert line == 2
    assert raw["ho va ten"] == "Trần, Thị Bình"
    assert raw["so the"] == "1234 5678"


def test_empty_rows_are_skipped_but_still_counted_in_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "members.csv", f"{HEADER}\n{ROW}\n\n,,,,\n{ROW}\n")
    assert [line for line, _ in read_member_file(path)] == [2, 5]
    assert count_rows(path) == 2


def test_a_quoted_cell_over_two_lines_does_not_shift_later_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "members.csv", f'{HEADER}\n"Nguyễn\nVăn An",x,x,x,x\n{ROW}\n')
    assert [line for line, _ in read_member_file(path)] == [2, 3]


def test_short_rows_are_padded_and_blank_or_repeated_headers_do_not_lose_cells(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "members.csv", "Họ và tên,,Ghi chú,Ghi chú\nAn\nBình,?,a,b,extra\n")
    assert list(read_member_file(path)) == [
        (2, {"Họ và tên": "An", "Ghi chú": "", "Ghi chú (2)": ""}),
        (3, {"Họ và tên": "Bình", "Ghi chú": "a", "Ghi chú (2)": "b"}),
    ]


def test_a_file_in_a_legacy_encoding_is_refused_in_both_languages(tmp_path: Path) -> None:
    path = write(tmp_path / "members.csv", "Ho va ten\nL\xea\n", encoding="latin-1")
    with pytest.raises(MemberFileError) as raised:
        list(read_member_file(path))
    assert "not UTF-8" in raised.value.message_en
    assert "không phải văn bản UTF-8" in raised.value.message_vi
    assert str(raised.value) == raised.value.message_en


@pytest.mark.parametrize("text", ["", "\n\n", ";;;\n"])
def test_a_file_without_a_header_row_is_refused(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "members.csv", text)
    with pytest.raises(MemberFileError) as raised:
        list(read_member_file(path))
    assert raised.value.message_en == "members.csv has no header row"
    assert raised.value.message_vi == "Tệp members.csv không có dòng tiêu đề"
    assert count_rows(path) == 0


# --- unsupported and unreadable ------------------------------------------------------------


@pytest.mark.parametrize("name", ["members.xls", "members.txt", "members"])
def test_other_file_types_are_refused_before_anything_is_read(tmp_path: Path, name: str) -> None:
    with pytest.raises(MemberFileError) as raised:
        read_member_file(tmp_path / name)  # does not exist: the type alone decides
    assert "Unsupported file type" in raised.value.message_en
    assert "Không hỗ trợ loại tệp" in raised.value.message_vi
    with pytest.raises(MemberFileError):
        count_rows(tmp_path / name)


@pytest.mark.parametrize("name", ["missing.csv", "missing.xlsx"])
def test_a_missing_file_is_reported_as_unreadable(tmp_path: Path, name: str) -> None:
    with pytest.raises(MemberFileError) as raised:
        list(read_member_file(tmp_path / name))
    assert raised.value.message_en.startswith(f"Cannot read {name}")
    assert raised.value.message_vi.startswith(f"Không đọc được tệp {name}")


def test_a_text_file_renamed_to_xlsx_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "members.xlsx", f"{HEADER}\n{ROW}\n")
    with pytest.raises(MemberFileError) as raised:
        list(read_member_file(path))
    assert raised.value.message_en == "members.xlsx is not a readable XLSX workbook"
    assert raised.value.message_vi == "Tệp members.xlsx không phải tệp XLSX đọc được"


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_cells_keep_their_types_and_the_first_sheet_is_read(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "members.xlsx",
        [
            ["Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Số thẻ đảng viên", "Chi bộ"],
            ["Nguyễn Văn An", date(1980, 8, 15), "03/02/2005", 123456789, "CB-01"],
        ],
    )
    [(line, raw)] = read_member_file(path)
    assert line == 2
    assert raw["Ngày sinh"] == datetime(1980, 8, 15)
    assert raw["Số thẻ đảng viên"] == 123456789
    assert raw["Ngày vào Đảng"] == "03/02/2005"


def test_xlsx_rows_that_are_fully_empty_are_skipped_with_true_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "members.xlsx",
        [["Name", None, "Branch"], ["An", None, "CB-01"], [None, None, None], [], ["Bình"]],
    )
    assert list(read_member_file(path)) == [
        (2, {"Name": "An", "Branch": "CB-01"}),
        (5, {"Name": "Bình", "Branch": ""}),
    ]
    assert count_rows(path) == 2


def test_an_xlsx_file_with_an_empty_first_sheet_has_no_header_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "members.xlsx", [])
    with pytest.raises(MemberFileError, match="has no header row"):
        list(read_member_file(path))


# --- reader and rows together --------------------------------------------------------------


def test_an_export_with_nfd_names_and_a_repeated_card_imports_each_member_once(
    tmp_path: Path,
) -> None:
    nfd_name = unicodedata.normalize("NFD", "Nguyễn Văn An")
    path = write_xlsx(
        tmp_path / "members.xlsx",
        [
            ["HO VA TEN", "NGAY SINH", "NGAY VAO DANG", "SO THE DANG VIEN", "CHI BO"],
            ["Nguyễn Văn An", date(1980, 8, 15), "03/02/2005", 123456789, "CB-01"],
            [nfd_name, "15/08/1980", "2005-02-03", "123456789", "CB-01"],
            ["Lê Thị Cúc", "31/02/1990", "01/01/2015", "222222", "CB-01"],
            ["Phạm Văn Dũng", "01/01/1970", "01/01/1995", 123456789, "CB-02"],
        ],
    )
    rows = list(read_member_file(path))
    assert count_rows(path) == len(rows) == 4
    assert not isinstance(map_headers(list(rows[0][1])), list)

    results = [validate_row(line, raw, today=date(2025, 6, 1)) for line, raw in rows]
    valid = [r for r in results if isinstance(r, MemberRow)]
    invalid = [r for r in results if isinstance(r, RowError)]
    members, duplicates = dedupe(valid)

    assert [(m.line, m.name) for m in members] == [(2, "Nguyễn Văn An")]
    assert [(e.line, e.field) for e in invalid] == [(4, "birth_date")]
    assert [(e.line, e.field) for e in duplicates] == [(5, "card_number")]
