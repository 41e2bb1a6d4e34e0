"""Member rows naming their branch as the national export does (by name), and the day each
member began attending the branch: from its column in either language, the day of the
import when the cell is empty or the column absent, refused before the admission or after
today naming the member."""

from __future__ import annotations

from datetime import date

import pytest

from assignment.domain.member_columns import map_headers
from assignment.domain.member_rows import MemberRow, RowError, validate_row

from .test_member_rows import TODAY, VI_HEADERS, member, nfd, vi_row


def test_the_branch_may_be_written_as_its_name_in_the_national_export() -> None:
    assert member(branch_code=nfd("  Chi bộ  thị tứ Võ Lao ")).branch_code == "Chi bộ thị tứ Võ Lao"


ATTENDING_HEADERS = ["Ngày sinh hoạt tại chi bộ", "ngay sinh hoat tai chi bo", "Attending since"]


@pytest.mark.parametrize("header", ATTENDING_HEADERS)
def test_the_attending_since_column_is_found_in_either_language(header: str) -> None:
    mapping = map_headers([*VI_HEADERS, header])
    assert isinstance(mapping, dict)
    assert mapping["attending_since"] == header
    row = validate_row(2, {**vi_row(), header: "01/03/2025"}, today=TODAY)
    assert isinstance(row, MemberRow)
    assert row.attending_since == date(2025, 3, 1)


def test_an_empty_attending_since_cell_means_the_day_of_the_import() -> None:
    row = validate_row(2, {**vi_row(), "Ngày sinh hoạt tại chi bộ": " "}, today=TODAY)
    assert isinstance(row, MemberRow)
    assert row.attending_since == TODAY


@pytest.mark.parametrize(
    ("cell", "reason_en", "reason_vi"),
    [
        (
            "02/02/2005",
            "Nguyễn Văn An cannot have begun attending the branch on 02/02/2005, before their "
            "admission to the Party on 03/02/2005",
            "Đảng viên Nguyễn Văn An không thể sinh hoạt tại chi bộ từ ngày 02/02/2005, trước "
            "ngày vào Đảng 03/02/2005",
        ),
        (
            "2025-06-02",
            "Nguyễn Văn An cannot have begun attending the branch on 02/06/2025",
            "Ngày sinh hoạt tại chi bộ của đảng viên Nguyễn Văn An (02/06/2025) là ngày trong "
            "tương lai",
        ),
    ],
)
def test_attending_since_before_the_admission_or_after_today_is_a_bad_row_naming_the_member(
    cell: str, reason_en: str, reason_vi: str
) -> None:
    result = validate_row(4, {**vi_row(), "Attending since": cell}, today=TODAY)
    assert isinstance(result, RowError), result
    assert (result.line, result.field) == (4, "attending_since")
    assert reason_en in result.reason_en
    assert result.reason_vi == reason_vi
