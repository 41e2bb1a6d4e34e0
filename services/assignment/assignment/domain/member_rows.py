"""Rows of a member master-data export, checked one by one before anything is imported.

The national member database (CSDL đảng viên) exports CSV or XLSX whose headers may be in
Vietnamese, with or without accents, or in English. Each data row either becomes a `MemberRow`
or a `RowError` carrying the reason in Vietnamese and English, so a branch secretary can fix the
file without help. A bad row is reported, never half-imported. Idempotency of the import is keyed
on the card number, so `dedupe` settles repeated card numbers within one file up front.
Finding the columns by their headers is `member_columns.py`; checking each cell,
`member_fields.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date

from .member_columns import LABELS, mapping_for
from .member_fields import (
    InvalidField,
    as_text,
    parse_attending_since,
    parse_branch,
    parse_card_number,
    parse_dates,
    parse_name,
)


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One valid member record; `line` is the row number a person sees in the file.
    `branch_code`: the branch as the file names it (its code or its name) until the import
    finds the unit, then its code."""

    line: int
    name: str
    birth_date: date
    admission_date: date
    card_number: str
    branch_code: str
    attending_since: date


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row was refused, in both languages; `raw` is the row as read, for the report."""

    line: int
    field: str
    reason_en: str
    reason_vi: str
    raw: dict[str, str]


def raw_as_text(raw: Mapping[str, object]) -> dict[str, str]:
    """The row as strings, keyed by the source headers, for error reports."""
    return {header: as_text(value) for header, value in raw.items()}


def validate_row(line: int, raw: Mapping[str, object], *, today: date) -> MemberRow | RowError:
    """Check one row keyed by source headers (or canonical names); report the first problem.

    Fields are checked in column order and only the first problem is reported, so the reason
    always names a single cell the person can go and fix.
    """
    mapping = mapping_for(tuple(raw))

    def cell(column: str) -> object:
        header = mapping.get(column)
        return raw.get(header) if header is not None else None

    try:
        name = parse_name(cell("name"))
        birth, admission = parse_dates(cell("birth_date"), cell("admission_date"), today)
        card = parse_card_number(cell("card_number"))
        branch = parse_branch(cell("branch_code"))
        since = parse_attending_since(
            cell("attending_since"), name=name, admission=admission, today=today
        )
    except InvalidField as invalid:
        return RowError(line, invalid.field, invalid.reason_en, invalid.reason_vi, raw_as_text(raw))
    return MemberRow(line, name, birth, admission, card, branch, since)


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
    return {f.name: as_text(getattr(row, f.name)) for f in fields(MemberRow) if f.name != "line"}
