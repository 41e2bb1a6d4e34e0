"""The columns of a member master-data export, found by their headers.

Exports name their columns in Vietnamese, with or without accents, or in English, so a
column is found by any of its accepted headers; the file is refused up front, naming what is
missing, before any row is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .text import ControlCharacterError, fold_accents

# Canonical column -> accepted headers, compared after `_header_key` (no case, accents or
# separators). The canonical names are the `MemberRow` field names and are accepted as headers too.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("ho va ten", "name", "full name"),
    "birth_date": ("ngay sinh", "date of birth", "birth date"),
    "admission_date": ("ngay vao dang", "admission date"),
    "card_number": ("so the dang vien", "so the", "card number"),
    "branch_code": ("chi bo", "branch", "branch code", "ten chi bo", "branch name"),
}
# Columns a file may leave out: a row without one takes the import's default for it (the day a
# member began attending the branch: the day of the import, so nothing before it changes).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "attending_since": (
        "ngay sinh hoat tai chi bo",
        "sinh hoat tai chi bo tu ngay",
        "ngay bat dau sinh hoat",
        "ngay chuyen den",
        "attending since",
        "attending the branch since",
    ),
}

# (English, Vietnamese) labels used in messages.
LABELS: dict[str, tuple[str, str]] = {
    "name": ("full name", "họ và tên"),
    "birth_date": ("date of birth", "ngày sinh"),
    "admission_date": ("admission date", "ngày vào Đảng"),
    "card_number": ("party card number", "số thẻ đảng viên"),
    "branch_code": ("branch", "chi bộ"),
    "attending_since": ("attending since", "ngày sinh hoạt tại chi bộ"),
}


def _header_key(header: str) -> str | None:
    """Case-, accent- and separator-insensitive form: "Ngày_sinh" == "ngay sinh"."""
    try:
        folded = fold_accents(header)
    except ControlCharacterError:
        return None
    return " ".join(re.sub(r"[_\-\s]+", " ", folded).split())


_ALIASES: dict[str, str] = {
    alias: column
    for column, aliases in (COLUMNS | OPTIONAL_COLUMNS).items()
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
    """Canonical column -> source header, or the required canonical columns that are missing.

    If two headers mean the same column, the leftmost wins, as a person reading the sheet would
    assume. Unknown headers are ignored, so exports with extra columns (STT, ghi chú) still import.
    An optional column is in the answer when the file has it.
    """
    found = _find_columns(headers)
    missing = [column for column in COLUMNS if column not in found]
    if missing:
        return missing
    return {column: found[column] for column in (*COLUMNS, *OPTIONAL_COLUMNS) if column in found}


def missing_columns_message(missing: Sequence[str]) -> tuple[str, str]:
    """(English, Vietnamese) message naming the missing columns and the headers accepted."""
    en = "; ".join(f'{LABELS[c][0]} (e.g. "{LABELS[c][1]}" or "{c}")' for c in missing)
    vi = "; ".join(f'{LABELS[c][1]} (ví dụ "{LABELS[c][1]}" hoặc "{c}")' for c in missing)
    return f"Missing required column(s): {en}", f"Thiếu cột bắt buộc: {vi}"


@lru_cache(maxsize=32)
def mapping_for(headers: tuple[str, ...]) -> dict[str, str]:
    """Header lookup shared by every row of a file. Absent columns read as empty cells, so a row
    keyed without them reports "required" for the first one."""
    return _find_columns(headers)
