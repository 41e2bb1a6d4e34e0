"""Every list as XLSX or CSV with Vietnamese headers: what secretaries hand on and keep.
Percentages are numbers formatted as percentages, not text, so a sheet can sum them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from chibo_chassis.spreadsheets import XLSX_MEDIA_TYPE, content_disposition, guard, sheet_title

Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    header: str
    percent: bool = False  # a ratio 0..1 shown as "96,3 %"


def export(
    fmt: str, title: str, stem: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> Response:
    """`stem` is the Vietnamese file name without extension; ASCII is made from it."""
    if fmt == "csv":
        return _csv(stem, columns, rows)
    return _xlsx(title, stem, columns, rows)


def _safe(value: Cell) -> Cell:
    return guard(value) if isinstance(value, str) else value


def _csv(stem: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow(
            [
                f"{value * 100:.1f}".replace(".", ",") + " %"
                if column.percent and isinstance(value, int | float)
                else _safe(value)
                for column, value in zip(columns, row, strict=True)
            ]
        )
    # A byte-order mark: Excel opens UTF-8 CSV with Vietnamese letters intact only with it.
    body = "\ufeff" + out.getvalue()
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(stem, "csv", "danh-sach")},
    )


def _xlsx(
    title: str, stem: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> Response:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(title)
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for index, column in enumerate(columns, start=1):
        if column.percent:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "0.0%"
        width = max([len(column.header), *(len(str(r[index - 1] or "")) for r in rows)])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": content_disposition(stem, "xlsx", "danh-sach")},
    )
