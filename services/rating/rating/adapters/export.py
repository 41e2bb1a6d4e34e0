"""Download any read model as CSV or XLSX, with Vietnamese column headers.

Branch secretaries keep their own records in Excel or LibreOffice, so every list a service
shows can also be handed over as a file. Two things matter beyond the plain format:

* The CSV starts with a UTF-8 byte order mark: without it Excel on Windows guesses a legacy
  code page and turns "Họ và tên" into mojibake.
* Cell values come from what members typed (names, notes), and a spreadsheet runs text that
  starts with ``=``, ``+``, ``-`` or ``@`` as a formula (CSV/formula injection). Such text gets
  a leading apostrophe so it stays text; real numbers are never touched.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from chibo_chassis import spreadsheets
from chibo_chassis.spreadsheets import XLSX_MEDIA_TYPE, ascii_filename, guard
from chibo_chassis.spreadsheets import sheet_title as sheet_title_of

ExportFormat = Literal["csv", "xlsx"]

_MEDIA_TYPES: dict[str, str] = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_MEDIA_TYPE}
_DEFAULT_SHEET_TITLE = "Dữ liệu"
_MIN_WIDTH, _MAX_WIDTH = 10, 50


@dataclass(frozen=True)
class Column:
    """One exported column: `key` is looked up in each row, `header_vi` is shown to people."""

    key: str
    header_vi: str


def export_rows(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: ExportFormat,
    *,
    sheet_title: str = _DEFAULT_SHEET_TITLE,
) -> bytes:
    """The rows as a CSV or XLSX file: a header row of `header_vi`s, then one line per row.

    A key missing from a row exports as an empty cell, like None.
    """
    if fmt == "csv":
        return _to_csv(rows, columns)
    if fmt == "xlsx":
        return _to_xlsx(rows, columns, sheet_title)
    raise ValueError(f"unsupported export format {fmt!r}; expected 'csv' or 'xlsx'")


def media_type(fmt: ExportFormat) -> str:
    """The Content-Type of an export in `fmt`."""
    try:
        return _MEDIA_TYPES[fmt]
    except KeyError:
        raise ValueError(f"unsupported export format {fmt!r}; expected 'csv' or 'xlsx'") from None


def filename(stem: str, fmt: ExportFormat) -> str:
    """An ASCII-only file name for `stem`: "Bảng điểm 2025" → "Bang-diem-2025.xlsx".

    Old clients only understand the plain `filename` parameter, so it must survive without
    any encoding; the exact Vietnamese name travels in `filename*` (see content_disposition).
    """
    media_type(fmt)  # reject an unknown format before building a name for it
    return ascii_filename(stem, fmt, "export")


def content_disposition(stem: str, fmt: ExportFormat) -> str:
    """A Content-Disposition header value offering the file for download (RFC 6266).

    `filename` is the ASCII fallback; `filename*` (RFC 5987) carries the original name,
    percent-encoded UTF-8, which current browsers prefer. Percent-encoding also keeps quotes
    and line breaks in `stem` from breaking out of the header.
    """
    media_type(fmt)
    return spreadsheets.content_disposition(stem, fmt, "export")


# ---- values ------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    # bool is an int subclass but exports as "có"/"không", never as 1/0.
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _number_text(value: int | float | Decimal) -> str:
    if not isinstance(value, float):
        return str(value)
    # Up to 4 decimals, no trailing zeros: 0.9634, 1, 0.5.
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(value: Any) -> str:
    """How a non-numeric value reads in a cell (before the injection guard)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, date):  # datetime too: it is a date subclass
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_number_text(item) if _is_number(item) else _text(item) for item in value)
    return str(value)


def _csv_cell(value: Any) -> str:
    return _number_text(value) if _is_number(value) else guard(_text(value))


# ---- CSV ---------------------------------------------------------------------------------


def _to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> bytes:
    return csv_chunk(rows, columns, first=True)


def csv_chunk(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], *, first: bool
) -> bytes:
    """One piece of a CSV file streamed page by page: the first piece carries the byte order
    mark and the header row, every piece its rows; the pieces joined are the whole file."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # excel dialect: comma separator, CRLF line ends
    if first:
        writer.writerow([guard(column.header_vi) for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(column.key)) for column in columns])
    # "utf-8-sig" writes the BOM Excel needs to recognise the file as UTF-8.
    return buffer.getvalue().encode("utf-8-sig" if first else "utf-8")


# ---- XLSX --------------------------------------------------------------------------------


def _column_width(header: str) -> int:
    return max(_MIN_WIDTH, min(_MAX_WIDTH, len(header) + 2))


def _to_xlsx(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], sheet_title: str
) -> bytes:
    # Imported here so that importing rating.adapters.export stays cheap for services that
    # never build a workbook.
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def xlsx_value(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            # Excel has no NaN/infinity and calls a workbook holding one corrupt.
            return guard(_number_text(value))
        if _is_number(value):
            return value
        if isinstance(value, datetime):
            # Excel has no time zones: keep the wall-clock time the service chose to show.
            return value.replace(tzinfo=None)
        if isinstance(value, date):
            return value
        # Control characters make openpyxl refuse the whole workbook; one stray byte in a
        # note must not make the download fail.
        return guard(ILLEGAL_CHARACTERS_RE.sub("", _text(value))) if value is not None else None

    # write_only streams rows to the file instead of building every cell object in memory.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title_of(sheet_title))
    # Layout must be set before the first row: write-only sheets cannot go back.
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(column.header_vi)

    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=xlsx_value(column.header_vi))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_value(row.get(column.key)) for column in columns])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
