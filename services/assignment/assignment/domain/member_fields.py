"""The cells of one member row, checked field by field.

Each check either returns the clean value or raises `InvalidField` naming the column and the
reason in both languages; `member_rows.py` turns the first one raised into the row's error.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .member_columns import LABELS
from .registration import attending_since_problem
from .text import ControlCharacterError, normalise

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
BRANCH_MAX_CHARS = 200  # a code, or a name as long as a unit's name may be

_CARD_DIGITS = re.compile(r"[0-9]+")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


class InvalidField(Exception):
    """A refused cell: the column and the reason in both languages."""

    def __init__(self, field: str, reason_en: str, reason_vi: str) -> None:
        super().__init__(reason_en)
        self.field = field
        self.reason_en = reason_en
        self.reason_vi = reason_vi


# --- cell values ---------------------------------------------------------------------------


def as_text(value: object) -> str:
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
        raise InvalidField(field, f"{_cap(en)} is required", f"Thiếu {vi}")
    return text


def _parse_date(field: str, value: object) -> date:
    """DD/MM/YYYY (Vietnamese usage), YYYY-MM-DD, or a date/datetime cell from XLSX."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _required(field, as_text(value)).strip()
    en, vi = LABELS[field]
    if match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise InvalidField(
            field,
            f'{_cap(en)} "{_show(text)}" is not in the form DD/MM/YYYY or YYYY-MM-DD',
            f'{_cap(vi)} "{_show(text)}" không đúng dạng DD/MM/YYYY hoặc YYYY-MM-DD',
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidField(
            field,
            f'{_cap(en)} "{_show(text)}" is not a real calendar date',
            f'{_cap(vi)} "{_show(text)}" không có trên lịch',
        ) from None


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def parse_name(value: object) -> str:
    raw = _required("name", as_text(value))
    try:
        name = normalise(raw)
    except ControlCharacterError as exc:
        code = f"U+{exc.codepoint:04X}"
        raise InvalidField(
            "name",
            f"Full name contains an invisible control character ({code})",
            f"Họ và tên chứa ký tự điều khiển không nhìn thấy được ({code})",
        ) from None
    if not NAME_MIN_CHARS <= len(name) <= NAME_MAX_CHARS:
        raise InvalidField(
            "name",
            f"Full name must be {NAME_MIN_CHARS}–{NAME_MAX_CHARS} characters long "
            f"(got {len(name)})",
            f"Họ và tên phải dài từ {NAME_MIN_CHARS} đến {NAME_MAX_CHARS} ký tự "
            f"(hiện có {len(name)})",
        )
    return name


def parse_dates(birth_raw: object, admission_raw: object, today: date) -> tuple[date, date]:
    birth = _parse_date("birth_date", birth_raw)
    if birth > today:
        raise InvalidField(
            "birth_date",
            f"Date of birth {_dmy(birth)} is in the future",
            f"Ngày sinh {_dmy(birth)} là ngày trong tương lai",
        )
    admission = _parse_date("admission_date", admission_raw)
    if admission > today:
        raise InvalidField(
            "admission_date",
            f"Admission date {_dmy(admission)} is in the future",
            f"Ngày vào Đảng {_dmy(admission)} là ngày trong tương lai",
        )
    if admission < PARTY_FOUNDED:
        raise InvalidField(
            "admission_date",
            f"Admission date {_dmy(admission)} is before the Party was founded "
            f"({_dmy(PARTY_FOUNDED)})",
            f"Ngày vào Đảng {_dmy(admission)} trước ngày thành lập Đảng ({_dmy(PARTY_FOUNDED)})",
        )
    age = _age_on(birth, admission)
    if age < MIN_AGE_AT_ADMISSION:
        raise InvalidField(
            "birth_date",
            f"Member was {age} at admission; must be at least {MIN_AGE_AT_ADMISSION}",
            f"Khi vào Đảng mới {age} tuổi; phải đủ {MIN_AGE_AT_ADMISSION} tuổi trở lên",
        )
    if age > MAX_AGE_AT_ADMISSION:
        raise InvalidField(
            "birth_date",
            f"Member would have been {age} at admission; at most {MAX_AGE_AT_ADMISSION} is "
            "plausible, check the date of birth",
            f"Khi vào Đảng đã {age} tuổi, quá {MAX_AGE_AT_ADMISSION} tuổi; kiểm tra lại ngày sinh",
        )
    return birth, admission


def parse_card_number(value: object) -> str:
    text = _required("card_number", as_text(value))
    digits = "".join(text.split())
    if not _CARD_DIGITS.fullmatch(digits):
        raise InvalidField(
            "card_number",
            f'Party card number "{_show(text.strip())}" must contain digits only',
            f'Số thẻ đảng viên "{_show(text.strip())}" chỉ được chứa chữ số',
        )
    if not CARD_NUMBER_MIN_DIGITS <= len(digits) <= CARD_NUMBER_MAX_DIGITS:
        lo, hi = CARD_NUMBER_MIN_DIGITS, CARD_NUMBER_MAX_DIGITS
        raise InvalidField(
            "card_number",
            f"Party card number must have {lo}–{hi} digits (got {len(digits)})",
            f"Số thẻ đảng viên phải có từ {lo} đến {hi} chữ số (hiện có {len(digits)})",
        )
    return digits


def parse_branch(value: object) -> str:
    """The branch as the file names it: its code, or its name as the national database
    exports it ("Chi bộ thị tứ Võ Lao"); which unit it is, the import finds out."""
    text = _required("branch_code", as_text(value))
    try:
        branch = normalise(text)
    except ControlCharacterError as exc:
        code = f"U+{exc.codepoint:04X}"
        raise InvalidField(
            "branch_code",
            f"Branch contains an invisible control character ({code})",
            f"Chi bộ chứa ký tự điều khiển không nhìn thấy được ({code})",
        ) from None
    if len(branch) > BRANCH_MAX_CHARS:
        raise InvalidField(
            "branch_code",
            f'Branch "{_show(branch)}" is longer than {BRANCH_MAX_CHARS} characters',
            f'Chi bộ "{_show(branch)}" dài quá {BRANCH_MAX_CHARS} ký tự',
        )
    return branch


def parse_attending_since(value: object, *, name: str, admission: date, today: date) -> date:
    """The day the member began attending the branch; an empty cell (or no such column):
    today, the day of the import, so nothing recorded before it changes."""
    if not as_text(value).strip():
        return today
    since = _parse_date("attending_since", value)
    problem = attending_since_problem(name, admission, since, today)
    if problem is not None:
        raise InvalidField("attending_since", problem[1], problem[2])
    return since
