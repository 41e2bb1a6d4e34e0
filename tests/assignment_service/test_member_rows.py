"""Member master-data rows: text normalisation, header matching, row checks and in-file dedupe."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from assignment.domain.member_columns import map_headers, missing_columns_message
from assignment.domain.member_rows import MemberRow, RowError, dedupe, validate_row
from assignment.domain.text import ControlCharacterError, name_key, normalise

TODAY = date(2025, 6, 1)
NAME = "Nguyễn Văn An"

VI_HEADERS = ("Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Số thẻ đảng viên", "Chi bộ")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def vi_row(**overrides: object) -> dict[str, object]:
    """A valid row keyed by the Vietnamese headers; keyword names are the canonical columns."""
    values: dict[str, object] = {
        "name": NAME,
        "birth_date": "15/08/1980",
        "admission_date": "03/02/2005",
        "card_number": "123456789",
        "branch_code": "CB-01",
    }
    values.update(overrides)
    return dict(zip(VI_HEADERS, values.values(), strict=True))


def member(line: int = 2, **overrides: object) -> MemberRow:
    result = validate_row(line, vi_row(**overrides), today=TODAY)
    assert isinstance(result, MemberRow), result
    return result


# --- text ----------------------------------------------------------------------------------


def test_normalise_turns_nfd_into_nfc_and_tidies_whitespace() -> None:
    assert normalise(nfd("  Nguyễn \t Văn\n\u00a0An  ")) == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", normalise(nfd(NAME)))


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1f", "\x85", "\u200b", "\u202e"])
def test_normalise_refuses_control_and_invisible_characters(char: str) -> None:
    with pytest.raises(ControlCharacterError, match=f"U\\+{ord(char):04X}") as raised:
        normalise(f"Nguyễn{char}An")
    assert isinstance(raised.value, ValueError)
    assert raised.value.position == 6


def test_a_name_typed_in_nfd_is_the_same_person_as_in_nfc() -> None:
    assert nfd(NAME) != NAME
    assert name_key(nfd(NAME)) == name_key(NAME)
    assert name_key("NGUYỄN  VĂN AN") == name_key(NAME)


def test_name_keys_still_tell_different_accents_apart() -> None:
    assert name_key("Lê Văn An") != name_key("Lệ Văn An")


# --- headers -------------------------------------------------------------------------------

CANONICAL = ["name", "birth_date", "admission_date", "card_number", "branch_code"]


@pytest.mark.parametrize(
    "headers",
    [
        list(VI_HEADERS),
        ["ho va ten", "ngay sinh", "ngay vao dang", "so the", "chi bo"],
        ["HỌ VÀ TÊN", "NGÀY SINH", "NGÀY VÀO ĐẢNG", "SỐ THẺ ĐẢNG VIÊN", "CHI BỘ"],
        [nfd(h) for h in VI_HEADERS],
        ["name", "date_of_birth", "admission_date", "card_number", "branch"],
        ["Full Name", "Birth Date", "Admission Date", "Card Number", "Branch Code"],
        ["full_name", "birth_date", "admission_date", "card_number", "branch_code"],
        [" Họ  và tên ", "Ngay_sinh", "Ngày-vào-Đảng", "So the dang vien", "Chi bo"],
    ],
)
def test_headers_match_in_either_language_with_or_without_accents(headers: list[str]) -> None:
    assert map_headers(headers) == dict(zip(CANONICAL, headers, strict=True))


def test_unknown_headers_are_ignored_and_the_first_of_two_synonyms_wins() -> None:
    headers = ["STT", "Họ và tên", "Name", *VI_HEADERS[1:], "Ghi chú"]
    mapping = map_headers(headers)
    assert isinstance(mapping, dict)
    assert mapping["name"] == "Họ và tên"


def test_missing_columns_are_listed_and_explained_in_both_languages() -> None:
    assert map_headers(["Họ và tên", "Chi bộ", "Ghi chú"]) == [
        "birth_date",
        "admission_date",
        "card_number",
    ]
    en, vi = missing_columns_message(["birth_date", "card_number"])
    assert en.startswith("Missing required column(s): date of birth")
    assert "party card number" in en
    assert vi.startswith("Thiếu cột bắt buộc: ngày sinh")
    assert "số thẻ đảng viên" in vi


# --- valid rows ----------------------------------------------------------------------------


def test_a_valid_row_becomes_a_member_with_day_first_dates() -> None:
    assert member() == MemberRow(
        line=2,
        name=NAME,
        birth_date=date(1980, 8, 15),
        admission_date=date(2005, 2, 3),
        card_number="123456789",
        branch_code="CB-01",
        attending_since=TODAY,  # no such column: the day of the import
    )


def test_an_nfd_name_is_stored_in_nfc() -> None:
    assert member(name=nfd(f"  {NAME} ")).name == NAME


@pytest.mark.parametrize(
    ("birth", "admission"),
    [
        ("1980-08-15", "2005-02-03"),
        ("15/8/1980", "3/2/2005"),
        (date(1980, 8, 15), date(2005, 2, 3)),
        (datetime(1980, 8, 15), datetime(2005, 2, 3)),
    ],
)
def test_dates_are_read_as_iso_text_short_day_first_text_or_spreadsheet_dates(
    birth: object, admission: object
) -> None:
    row = member(birth_date=birth, admission_date=admission)
    assert (row.birth_date, row.admission_date) == (date(1980, 8, 15), date(2005, 2, 3))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(123456789, "123456789"), (123456789.0, "123456789"), (" 0012 3456 ", "00123456")],
)
def test_card_numbers_lose_spaces_and_spreadsheet_decimals_but_keep_leading_zeros(
    cell: object, expected: str
) -> None:
    assert member(card_number=cell).card_number == expected


def test_rows_keyed_by_canonical_names_are_accepted_too() -> None:
    raw = {
        "name": NAME,
        "birth_date": "1980-08-15",
        "admission_date": "2005-02-03",
        "card_number": "123456",
        "branch_code": "cb_7",
    }
    assert isinstance(validate_row(9, raw, today=TODAY), MemberRow)


def test_admission_on_the_eighteenth_birthday_and_on_founding_day_is_accepted() -> None:
    assert member(birth_date="03/02/1912", admission_date="03/02/1930").line == 2
    assert member(birth_date="29/02/2004", admission_date="01/03/2022").line == 2


# --- bad rows ------------------------------------------------------------------------------

BAD_ROWS: list[tuple[dict[str, object], str, str, str]] = [
    ({"name": ""}, "name", "Full name is required", "Thiếu họ và tên"),
    ({"name": None}, "name", "Full name is required", "Thiếu họ và tên"),
    ({"name": " A "}, "name", "2–120 characters long (got 1)", "từ 2 đến 120 ký tự (hiện có 1)"),
    ({"name": "A" * 121}, "name", "(got 121)", "(hiện có 121)"),
    ({"name": "Nguyễn\x07An"}, "name", "control character (U+0007)", "ký tự điều khiển"),
    ({"birth_date": "  "}, "birth_date", "Date of birth is required", "Thiếu ngày sinh"),
    (
        {"birth_date": "1980/08/15"},
        "birth_date",
        'Date of birth "1980/08/15" is not in the form DD/MM/YYYY or YYYY-MM-DD',
        'Ngày sinh "1980/08/15" không đúng dạng DD/MM/YYYY hoặc YYYY-MM-DD',
    ),
    (
        {"birth_date": "31/02/1980"},
        "birth_date",
        "is not a real calendar date",
        "không có trên lịch",
    ),
    ({"birth_date": 29000}, "birth_date", '"29000" is not in the form', "không đúng dạng"),
    (
        {"birth_date": "02/06/2025"},
        "birth_date",
        "Date of birth 02/06/2025 is in the future",
        "Ngày sinh 02/06/2025 là ngày trong tương lai",
    ),
    (
        {"admission_date": "2025-06-02"},
        "admission_date",
        "Admission date 02/06/2025 is in the future",
        "Ngày vào Đảng 02/06/2025 là ngày trong tương lai",
    ),
    (
        {"birth_date": "01/01/1900", "admission_date": "02/02/1930"},
        "admission_date",
        "before the Party was founded (03/02/1930)",
        "trước ngày thành lập Đảng (03/02/1930)",
    ),
    (
        {"birth_date": "04/02/1987", "admission_date": "03/02/2005"},
        "birth_date",
        "Member was 17 at admission; must be at least 18",
        "Khi vào Đảng mới 17 tuổi; phải đủ 18 tuổi trở lên",
    ),
    (
        {"birth_date": "01/01/1850", "admission_date": "01/01/1971"},
        "birth_date",
        "would have been 121 at admission",
        "đã 121 tuổi",
    ),
    ({"card_number": ""}, "card_number", "Party card number is required", "Thiếu số thẻ"),
    (
        {"card_number": "AB-123456"},
        "card_number",
        'Party card number "AB-123456" must contain digits only',
        'Số thẻ đảng viên "AB-123456" chỉ được chứa chữ số',
    ),
    ({"card_number": "١٢٣٤٥٦"}, "card_number", "digits only", "chỉ được chứa chữ số"),
    ({"card_number": "12345"}, "card_number", "6–12 digits (got 5)", "từ 6 đến 12 chữ số"),
    ({"card_number": "1" * 13}, "card_number", "(got 13)", "(hiện có 13)"),
    ({"branch_code": ""}, "branch_code", "Branch is required", "Thiếu chi bộ"),
    ({"branch_code": "B" * 201}, "branch_code", "longer than 200 characters", "dài quá 200 ký tự"),
    ({"branch_code": "Chi bộ\u200b1"}, "branch_code", "(U+200B)", "ký tự điều khiển"),
]


@pytest.mark.parametrize(("overrides", "field", "reason_en", "reason_vi"), BAD_ROWS)
def test_each_kind_of_bad_row_is_refused_with_a_reason_in_english_and_vietnamese(
    overrides: dict[str, object], field: str, reason_en: str, reason_vi: str
) -> None:
    result = validate_row(7, vi_row(**overrides), today=TODAY)
    assert isinstance(result, RowError), result
    assert (result.line, result.field) == (7, field)
    assert reason_en in result.reason_en
    assert reason_vi in result.reason_vi


def test_an_error_quotes_the_row_as_text_under_its_own_headers() -> None:
    result = validate_row(4, vi_row(birth_date=datetime(1980, 8, 15), card_number="x"), today=TODAY)
    assert isinstance(result, RowError)
    assert result.raw == {
        "Họ và tên": NAME,
        "Ngày sinh": "1980-08-15",
        "Ngày vào Đảng": "03/02/2005",
        "Số thẻ đảng viên": "x",
        "Chi bộ": "CB-01",
    }


def test_only_the_first_problem_in_column_order_is_reported() -> None:
    result = validate_row(3, vi_row(name="", card_number="x"), today=TODAY)
    assert isinstance(result, RowError)
    assert result.field == "name"


def test_a_row_without_a_column_reports_that_field_as_required() -> None:
    raw = vi_row()
    del raw["Số thẻ đảng viên"]
    result = validate_row(5, raw, today=TODAY)
    assert isinstance(result, RowError)
    assert (result.field, result.reason_vi) == ("card_number", "Thiếu số thẻ đảng viên")


# --- dedupe --------------------------------------------------------------------------------


def test_an_exact_repeat_is_dropped_silently_even_if_typed_in_another_unicode_form() -> None:
    first, again = member(2), member(5, name=nfd(NAME))
    assert dedupe([first, again]) == ([first], [])


def test_the_same_card_with_different_data_is_an_error_on_the_later_line() -> None:
    first = member(2)
    other = member(3, card_number="999999")
    changed = member(6, name="Trần Thị Bình", branch_code="CB-02")
    kept, errors = dedupe([first, other, changed, member(8)])
    assert kept == [first, other]
    [error] = errors
    assert (error.line, error.field) == (6, "card_number")
    assert error.reason_en == (
        "Party card number 123456789 already appears on line 2 with different data "
        "(full name, branch)"
    )
    assert error.reason_vi == (
        "Số thẻ đảng viên 123456789 đã có ở dòng 2 với dữ liệu khác (họ và tên, chi bộ)"
    )
    assert error.raw["name"] == "Trần Thị Bình"
    assert error.raw["birth_date"] == "1980-08-15"
