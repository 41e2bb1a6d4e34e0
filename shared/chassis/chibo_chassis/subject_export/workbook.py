"""The export as a workbook a member can read in Excel or LibreOffice: a first sheet saying
whose data it is, from which service, when and under which law, then one sheet per kind of
data with Vietnamese headers, dates as dd/mm/yyyy (times in Vietnam's), codes in words,
units and members by name where the service knows them.

Typed text is guarded against formulas (`spreadsheets.py`). Control characters openpyxl
refuses are dropped rather than failing the download.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from chibo_kernel.clock import VIETNAM

from .. import spreadsheets
from ..spreadsheets import XLSX_MEDIA_TYPE, guard, sheet_title
from .labels import CODED_FIELDS, shown
from .spec import PersonalData

MEDIA_TYPE = XLSX_MEDIA_TYPE
DATE_FORMAT, TIME_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM"
_MIN_WIDTH, _MAX_WIDTH = 12, 60


def content_disposition(stem: str) -> str:
    return spreadsheets.content_disposition(stem, "xlsx", "du-lieu")


def workbook(found: PersonalData, coded: Mapping[str, frozenset[str]]) -> bytes:
    """`coded`: by section kind, the columns whose values are codes from a closed list."""
    import openpyxl  # only the download needs it

    book = openpyxl.Workbook(write_only=True)
    titles: set[str] = set()
    summary = _sheet(book, "Thông tin chung", titles, ["Nội dung", "Giá trị"])
    for label, value in _summary(found):
        summary.append([_cell(summary, label), _cell(summary, value)])
    for section in found.sections:
        sheet = _sheet(book, section.label_vi, titles, [c.label_vi for c in section.columns])
        codes = coded.get(section.kind, CODED_FIELDS if section.source == "event_store" else ())
        for row in section.rows:
            sheet.append(
                [
                    _cell(sheet, _readable(c.key, row.get(c.key), codes, found.names))
                    for c in section.columns
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(found: PersonalData) -> list[tuple[str, Any]]:
    lines: list[tuple[str, Any]] = [
        ("Đảng viên", found.full_name or found.member_id),
        ("Mã đảng viên", found.member_id),
        ("Dịch vụ", found.service),
        ("Thời điểm lập", found.generated_at),
        ("Dữ liệu cá nhân đã bị xóa", found.erased),
        ("Căn cứ", found.legal_basis_vi),
    ]
    return lines + [(s.label_vi, f"{len(s.rows)} dòng") for s in found.sections]


def _sheet(book: Any, title: str, taken: set[str], headers: list[str]) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    base = sheet_title(title)
    name, n = base, 1
    while name.lower() in taken:  # Excel compares sheet names without case
        n += 1
        name = f"{base[: 30 - len(str(n))]} {n}"
    taken.add(name.lower())
    sheet = book.create_sheet(name)
    sheet.freeze_panes = "A2"  # layout before the first row: write-only sheets cannot go back
    for index, header in enumerate(headers, start=1):
        width = max(_MIN_WIDTH, min(_MAX_WIDTH, len(header) + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=guard(header))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _readable(key: str, value: Any, codes: Collection[str], names: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        if key in codes:
            return shown(value)
        if key.endswith("_id") and key != "stream_id":
            return names.get(value, value)
    if isinstance(value, list | tuple):
        return ", ".join(str(_readable(key, item, codes, names)) for item in value)
    return value


def _cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    number_format = None
    if isinstance(value, datetime):
        moment = value.astimezone(VIETNAM) if value.tzinfo else value
        value, number_format = moment.replace(tzinfo=None), TIME_FORMAT
    elif isinstance(value, date):
        number_format = DATE_FORMAT
    elif isinstance(value, bool):
        value = "có" if value else "không"
    elif isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    elif value is not None and not isinstance(value, int | float):
        value = guard(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    return cell
