"""A meeting's sheet as a file: exported with Vietnamese headers, and read back from the
exported XLSX once a secretary has filled it in. A file with one bad row fills nothing:
every bad row is named by its number and the name on it, so it is fixed in one pass."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from chibo_chassis.spreadsheets import FORMULA_TRIGGERS

from .exports import Cell, Column
from .formats import nfc
from .meeting_sheet import STATE_LABELS, Line

HEADERS = ("STT", "Họ và tên", "Điểm danh", "Lý do vắng")
COLUMNS = [Column(header) for header in HEADERS]
MAX_BYTES = 2_000_000
MAX_ROWS = 1100


def export_rows(lines: Sequence[Line]) -> list[list[Cell]]:
    return [
        [number, line.full_name, STATE_LABELS.get(line.state, (line.state,))[0], line.reason]
        for number, line in enumerate(lines, start=1)
    ]


def _fold(text: str) -> str:
    """Case, accents and spacing aside: "Vắng  có lý do" matches "vang co ly do"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(plain.split())


_STATES = {_fold(STATE_LABELS[s][0]): s for s in ("present", "absent_excused", "absent_unexcused")}


@dataclass
class Uploaded:
    marks: dict[str, tuple[str, str]] = field(default_factory=dict)  # member → state, reason
    problems: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # names not in the file: kept present


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = nfc(str(value)).strip()
    # The export keeps formula-like text inert with an apostrophe: take it off again.
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def _rows(content: bytes) -> list[tuple[Any, ...]] | None:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    sheet = book.worksheets[0] if book.worksheets else None
    rows = [] if sheet is None else list(sheet.iter_rows(max_row=MAX_ROWS, values_only=True))
    book.close()
    return rows


def read_upload(content: bytes, lines: Sequence[Line], day: str, lang: str) -> Uploaded:
    """The marks of an uploaded sheet over the members expected (`lines`); `day` is the
    meeting's, for the messages."""
    found = Uploaded()

    def refuse(vi: str, en: str) -> Uploaded:
        found.problems.append(en if lang == "en" else vi)
        return found

    rows = _rows(content) if len(content) <= MAX_BYTES else None
    if not rows:
        return refuse(
            "Không đọc được tệp: xin chọn tệp Excel (.xlsx) tải về từ trang này, dưới 2 MB.",
            "The file could not be read: please pick the Excel file (.xlsx) downloaded "
            "from this page, under 2 MB.",
        )
    header = [_fold(_text(v)) for v in rows[0]]
    columns = {h: header.index(_fold(h)) for h in HEADERS if _fold(h) in header}
    if "Họ và tên" not in columns or "Điểm danh" not in columns:
        return refuse(
            "Dòng đầu của tệp phải có cột “Họ và tên” và “Điểm danh”: xin dùng bảng tải về "
            "từ trang này.",
            "The file's first row must have the columns “Họ và tên” and “Điểm danh”: "
            "please use the sheet downloaded from this page.",
        )
    by_name: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        by_name.setdefault(_fold(line.full_name), []).append(index)
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cell = {h: _text(row[i]) if i < len(row) else "" for h, i in columns.items()}
        name, said, reason = cell["Họ và tên"], cell["Điểm danh"], cell.get("Lý do vắng", "")
        if not any(cell.values()):
            continue
        if not name:
            refuse(f"Dòng {number}: thiếu họ và tên.", f"Row {number}: the name is missing.")
            continue
        where = f"Dòng {number} ({name})"
        where_en = f"Row {number} ({name})"
        matches = by_name.get(_fold(name), [])
        if len(matches) > 1:  # namesakes: the exported order tells them apart
            numbered = cell.get("STT", "")
            matches = [i for i in matches if numbered.isdigit() and int(numbered) == i + 1]
        if len(matches) != 1:
            refuse(
                f"{where}: không có trong danh sách đảng viên phải dự họp ngày {day} (hoặc có "
                "người trùng tên mà số thứ tự đã bị sửa).",
                f"{where_en}: not among the members expected on {day} (or a namesake whose "
                "number was changed).",
            )
            continue
        member = lines[matches[0]].member_id
        state = _STATES.get(_fold(said))
        if state is None:
            refuse(
                f"{where}: điểm danh “{said}” không rõ; xin ghi Có mặt, Vắng có lý do hoặc "
                "Vắng không lý do.",
                f"{where_en}: “{said}” is not a mark; please write Có mặt, Vắng có lý do "
                "or Vắng không lý do.",
            )
        elif state == "absent_excused" and not reason:
            refuse(f"{where}: vắng có lý do phải ghi lý do.", f"{where_en}: give the reason.")
        elif member in seen:
            refuse(
                f"{where}: đã có ở dòng {seen[member]}.",
                f"{where_en}: already on row {seen[member]}.",
            )
        else:
            seen[member] = number
            found.marks[member] = (state, reason[:300] if state == "absent_excused" else "")
    if found.problems:
        found.marks.clear()  # one bad row fills nothing
    found.left_out = [line.full_name for line in lines if line.member_id not in found.marks]
    return found
