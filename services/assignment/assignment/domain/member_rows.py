"""Rows of a member master-data export, checked one by one before anything is imported.

The national member database (CSDL đảng viên) exports CSV or XLSX whose headers may be in
Vietnamese, with or without accents, or in English. Each data row either becomes a `MemberRow`
or a `RowError` carrying the reason in Vietnamese and English, so a branch secretary can fix the
file without help. A bad row is reported, never half-imported. Idempotency of the import is keyed
on the card number, so `dedupe` settles repeated card numbers within one file up front.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import lru_cache

from .text import ControlCharacterError, fold_accents, normalise

# The format of party card numbers is not published. These bounds accept every number seen so
# far while still catching truncated cells and two numbers pasted together; widen them here if a
# real card is rejected.
CARD_NUMBER_MIN_DIGITS = 6
CARD_NUMBER_MAX_DIGITS = 12

NAME_MIN_CHARS = 2
NAME_MAX_CHARS = 120
MIN_AGE_AT_ADMISSION = 18  # Điều lệ Đảng: đủ 18 tuổi
MAX_AGE_AT_ADMISSION = 120  # beyond this the birth date is a typo, not a person
PARTY_FOUNDED = date(1930, 2, 3)

_BRANCH_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_CARD_DIGITS = re.compile(r"[0-9]+")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")

# Canonical column -> accepted headers, compared after `_header_key` (no case, accents or
# separators). The canonical names are the `MemberRow` field names and are accepted as headers too.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("ho va ten", "name", "full name"),
    "birth_date": ("ngay sinh", "date of birth", "birth date"),
    "admission_date": ("ngay vao dang", "admission date"),
    "card_number": ("so the dang vien", "so the", "card number"),
    "branch_code": ("chi bo", "branch", "branch code"),
}

# (English, Vietnamese) labels used in messages.
LABELS: dict[str, tuple[str, str]] = {
    "name": ("full name", "họ và tên"),
    "birth_date": ("date of birth", "ngày sinh"),
    "admission_date": ("admission date", "ngày vào Đảng"),
    "card_number": ("party card number", "số thẻ đảng viên"),
    "branch_code": ("branch", "chi bộ"),
}


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One valid member record; `line` is the row number a person sees in the file."""

    line: int
    name: str
    birth_date: date
    admission_date: date
    card_number: str
    branch_code: str


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row was refused, in both languages; `raw` is the row as read, for the report."""

    line: int
    field: str
    reason_en: str
    reason_vi: str
    raw: dict[str, str]


class _Invalid(Exception):
    """Internal: first problem found in a row."""

    def __init__(self, field: str, reason_en: str, reason_vi: str) -> None:
        super().__init__(reason_en)
        self.field = field
        self.reason_en = reason_en
        self.reason_vi = reason_vi


# --- headers -------------------------------------------------------------------------------


def _header_key(header: str) -> str | None:
    """Case-, accent- and separator-insensitive form: "Ngày_sinh" == "ngay sinh"."""
    try:
        folded = fold_accents(header)
    except ControlCharacterError:
        return None
    return " ".join(re.sub(r"[_\-\s]+", " ", folded).split())


_ALIASES: dict[str, str] = {
    alias: column
    for column, aliases in COLUMNS.items()
    for alias in (*aliases, " ".join(column.split("_")))
}


def _find_columns(headers: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers:
        key = _header_key(header)
        column = _ALIASES.get(key) if key is not None else None
        if column is not None and column not in found:
            found[column] = header
    return found


def map_headers(headers: Sequence[str]) -> dict[str, str] | list[str]:
    """Canonical column -> source header, or the canonical columns that are missing.

    If two headers mean the same column, the leftmost wins, as a person reading the sheet would
    assume. Unknown headers are ignored, so exports with extra columns (STT, ghi chú) still import.
    """
    found = _find_columns(headers)
    missing = [column for column in COLUMNS if column not in found]
    if missing:
        return missing
    return {column: found[column] for column in COLUMNS}


def missing_columns_message(missing: Sequence[str]) -> tuple[str, str]:
    """(English, Vietnamese) message naming the missing columns and the headers accepted."""
    en = "; ".join(f'{LABELS[c][0]} (e.g. "{LABELS[c][1]}" or "{c}")' for c in missing)
    vi = "; ".join(f'{LABELS[c][1]} (ví dụ "{LABELS[c][1]}" hoặc "{c}")' for c in missing)
    return f"Missing required column(s): {en}", f"Thiếu cột bắt buộc: {vi}"


@lru_cache(maxsize=32)
def _mapping_for(headers: tuple[str, ...]) -> dict[str, str]:
    """Header lookup shared by every row of a file. Absent columns read as empty cells, so a row
    keyed without them reports "required" for the first one."""
    return _find_columns(headers)


# --- cell values ---------------------------------------------------------------------------


def _as_text(value: object) -> str:
    """Cell value as text; XLSX numbers that are whole (card numbers, codes) lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _show(text: str, limit: int = 40) -> str:
    """Value quoted in a message: invisible characters spelled out, long values shortened."""
    visible = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _required(field: str, text: str) -> str:
    if not text.strip():
        en, vi = LABELS[field]
        raise _Invalid(field, f"{_cap(en)} is required", f"Thiếu {vi}")
    return text


def _parse_date(field: str, value: object) -> date:
    """DD/MM/YYYY (Vietnamese usage), YYYY-MM-DD, or a date/datetime cell from XLSX."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _required(field, _as_text(value)).strip()
    en, vi = LABELS[field]
    if match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise _Invalid(
            field,
            f'{_cap(en)} "{_show(text)}" is not in the form DD/MM/YYYY or YYYY-MM-DD',
            f'{_cap(vi)} "{_show(text)}" không đúng dạng DD/MM/YYYY hoặc YYYY-MM-DD',
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise _Invalid(
            field,
            f'{_cap(en)} "{_show(text)}" is not a real calendar date',
            f'{_cap(vi)} "{_show(text)}" không có trên lịch',
        ) from None


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- fields --------------------------------------------------------------------------------


def _name(value: object) -> str:
    raw = _required("name", _as_text(value))
    try:
        name = normalise(raw)
    except ControlCharacterError as exc:
        code = f"U+{exc.codepoint:04X}"
        raise _Invalid(
            "name",
            f"Full name contains an invisible control character ({code})",
            f"Họ và tên chứa ký tự điều khiển không nhìn thấy được ({code})",
        ) from None
    if not NAME_MIN_CHARS <= len(name) <= NAME_MAX_CHARS:
        raise _Invalid(
            "name",
            f"Full name must be {NAME_MIN_CHARS}–{NAME_MAX_CHARS} characters long "
            f"(got {len(name)})",
            f"Họ và tên phải dài từ {NAME_MIN_CHARS} đến {NAME_MAX_CHARS} ký tự "
            f"(hiện có {len(name)})",
        )
    return name


def _dates(birth_raw: object, admission_raw: object, today: date) -> tuple[date, date]:
    birth = _parse_date("birth_date", birth_raw)
    if birth > today:
        raise _Invalid(
            "birth_date",
            f"Date of birth {_dmy(birth)} is in the future",
            f"Ngày sinh {_dmy(birth)} là ngày trong tương lai",
        )
    admission = _parse_date("admission_date", admission_raw)
    if admission > today:
        raise _Invalid(
            "admission_date",
            f"Admission date {_dmy(admission)} is in the future",
            f"Ngày vào Đảng {_dmy(admission)} là ngày trong tương lai",
        )
    if admission < PARTY_FOUNDED:
        raise _Invalid(
            "admission_date",
            f"Admission date {_dmy(admission)} is before the Party was founded "
            f"({_dmy(PARTY_FOUNDED)})",
            f"Ngày vào Đảng {_dmy(admission)} trước ngày thành lập Đảng ({_dmy(PARTY_FOUNDED)})",
        )
    age = _age_on(birth, admission)
    if age < MIN_AGE_AT_ADMISSION:
        raise _Invalid(
            "birth_date",
            f"Member was {age} at admission; must be at least {MIN_AGE_AT_ADMISSION}",
            f"Khi vào Đảng mới {age} tuổi; phải đủ {MIN_AGE_AT_ADMISSION} tuổi trở lên",
        )
    if age > MAX_AGE_AT_ADMISSION:
        raise _Invalid(
            "birth_date",
            f"Member would have been {age} at admission; at most {MAX_AGE_AT_ADMISSION} is "
            "plausible, check the date of birth",
            f"Khi vào Đảng đã {age} tuổi, quá {MAX_AGE_AT_ADMISSION} tuổi; kiểm tra lại ngày sinh",
        )
    return birth, admission


def _card_number(value: object) -> str:
    text = _required("card_number", _as_text(value))
    digits = "".join(text.split())
    if not _CARD_DIGITS.fullmatch(digits):
        raise _Invalid(
            "card_number",
            f'Party card number "{_show(text.strip())}" must contain digits only',
            f'Số thẻ đảng viên "{_show(text.strip())}" chỉ được chứa chữ số',
        )
    if not CARD_NUMBER_MIN_DIGITS <= len(digits) <= CARD_NUMBER_MAX_DIGITS:
        lo, hi = CARD_NUMBER_MIN_DIGITS, CARD_NUMBER_MAX_DIGITS
        raise _Invalid(
            "card_number",
            f"Party card number must have {lo}–{hi} digits (got {len(digits)})",
            f"Số thẻ đảng viên phải có từ {lo} đến {hi} chữ số (hiện có {len(digits)})",
        )
    return digits


def _branch_code(value: object) -> str:
    code = _required("branch_code", _as_text(value)).strip()
    if not _BRANCH_CODE.fullmatch(code):
        raise _Invalid(
            "branch_code",
            f'Branch code "{_show(code)}" may contain only letters A–Z, digits, "_" and "-", '
            "at most 40 characters",
            f'Mã chi bộ "{_show(code)}" chỉ được gồm chữ cái A–Z, chữ số, "_" và "-", '
            "tối đa 40 ký tự",
        )
    return code


# --- rows ----------------------------------------------------------------------------------


def raw_as_text(raw: Mapping[str, object]) -> dict[str, str]:
    """The row as strings, keyed by the source headers, for error reports."""
    return {header: _as_text(value) for header, value in raw.items()}


def validate_row(line: int, raw: Mapping[str, object], *, today: date) -> MemberRow | RowError:
    """Check one row keyed by source headers (or canonical names); report the first problem.

    Fields are checked in column order and only the first problem is reported, so the reason
    always names a single cell the person can go and fix.
    """
    mapping = _mapping_for(tuple(raw))

    def cell(column: str) -> object:
        header = mapping.get(column)
        return raw.get(header) if header is not None else None

    try:
        name = _name(cell("name"))
        birth, admission = _dates(cell("birth_date"), cell("admission_date"), today)
        card = _card_number(cell("card_number"))
        branch = _branch_code(cell("branch_code"))
    except _Invalid as invalid:
        return RowError(line, invalid.field, invalid.reason_en, invalid.reason_vi, raw_as_text(raw))
    return MemberRow(line, name, birth, admission, card, branch)


def dedupe(rows: Iterable[MemberRow]) -> tuple[list[MemberRow], list[RowError]]:
    """Settle repeated card numbers within one file, keeping the first occurrence.

    An exact repeat (same data, any line) is dropped silently: re-exports often repeat a member
    listed under two headings, and the import is idempotent anyway. The same card number with
    different data is an error on the later line, because we cannot know which one is right.
    """
    kept: dict[str, MemberRow] = {}
    errors: list[RowError] = []
    for row in rows:
        first = kept.get(row.card_number)
        if first is None:
            kept[row.card_number] = row
            continue
        differing = [
            f.name for f in fields(MemberRow) if f.name != "line" and _differs(first, row, f.name)
        ]
        if not differing:
            continue
        en = ", ".join(LABELS[name][0] for name in differing)
        vi = ", ".join(LABELS[name][1] for name in differing)
        errors.append(
            RowError(
                row.line,
                "card_number",
                f"Party card number {row.card_number} already appears on line {first.line} "
                f"with different data ({en})",
                f"Số thẻ đảng viên {row.card_number} đã có ở dòng {first.line} "
                f"với dữ liệu khác ({vi})",
                _row_as_text(row),
            )
        )
    return list(kept.values()), errors


def _differs(a: MemberRow, b: MemberRow, name: str) -> bool:
    return bool(getattr(a, name) != getattr(b, name))


def _row_as_text(row: MemberRow) -> dict[str, str]:
    return {f.name: _as_text(getattr(row, f.name)) for f in fields(MemberRow) if f.name != "line"}
