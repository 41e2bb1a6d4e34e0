"""Reading member export files (CSV or XLSX) into raw rows, one at a time.

Files from the national member database can have tens of thousands of rows, so rows are
streamed, never loaded whole, and `count_rows` gives a total for progress reporting. Rows are
passed on as read, keyed by the file's own headers: deciding what a cell means is the job of
`assignment.domain.member_rows`, which can then quote the row back to the person unchanged.

Line numbers are the row numbers a person sees when opening the file in a spreadsheet program
(header on line 1, first data row on line 2); fully empty rows are skipped but still counted, so
numbers in the error report always point at the right row.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import openpyxl

RawRow = dict[str, object]
_Records = Iterator[tuple[int, Sequence[object]]]


class MemberFileError(Exception):
    """The file as a whole cannot be read; nothing in it should be imported."""

    def __init__(self, message_en: str, message_vi: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_vi = message_vi


def read_member_file(path: Path) -> Iterator[tuple[int, RawRow]]:
    """Yield (line, {source header: cell value}) for every non-empty data row.

    CSV values are strings; XLSX values are whatever the cell holds (str, int, float, datetime,
    ...); an empty cell is "". An unsupported extension is refused at once; a file that cannot
    be read or has no header row raises `MemberFileError` when iteration starts, and a file that
    turns out to be damaged further on raises it mid-way, so callers should validate every row
    before changing anything. Columns with a blank header are ignored; a repeated header gets
    " (2)", " (3)", ... so no cell is silently overwritten.
    """
    return _rows(path, _records_for(path))


def count_rows(path: Path) -> int:
    """Number of rows `read_member_file` will yield (header and empty rows excluded).

    A cheap pass for a progress total: no dicts are built and no header is checked.
    """
    non_empty = sum(1 for _ in _records_for(path)(path))
    return max(non_empty - 1, 0)


# --- rows from records ---------------------------------------------------------------------


def _rows(path: Path, records: Callable[[Path], _Records]) -> Iterator[tuple[int, RawRow]]:
    source = records(path)
    first = next(source, None)
    if first is None:
        raise MemberFileError(
            f"{path.name} has no header row", f"Tệp {path.name} không có dòng tiêu đề"
        )
    columns = _columns(first[1])
    for line, cells in source:
        yield line, {header: _cell(cells, index) for index, header in columns}


def _columns(header_cells: Sequence[object]) -> list[tuple[int, str]]:
    """(cell index, header) for every non-blank header, repeated headers made unique."""
    columns: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        header = "" if cell is None else str(cell).strip()
        if not header:
            continue
        seen[header] = seen.get(header, 0) + 1
        columns.append((index, header if seen[header] == 1 else f"{header} ({seen[header]})"))
    return columns


def _cell(cells: Sequence[object], index: int) -> object:
    value = cells[index] if index < len(cells) else None
    return "" if value is None else value


def _is_empty(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# --- file formats --------------------------------------------------------------------------


def _records_for(path: Path) -> Callable[[Path], _Records]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_records
    if suffix == ".xlsx":
        return _xlsx_records
    shown = suffix or "(none)"
    raise MemberFileError(
        f'Unsupported file type "{shown}": use a .csv or .xlsx file (save .xls files as .xlsx)',
        f'Không hỗ trợ loại tệp "{shown}": hãy dùng tệp .csv hoặc .xlsx '
        "(tệp .xls cần lưu lại thành .xlsx)",
    )


def _unreadable(path: Path, exc: OSError) -> MemberFileError:
    reason = exc.strerror or type(exc).__name__
    return MemberFileError(
        f"Cannot read {path.name}: {reason}", f"Không đọc được tệp {path.name}: {reason}"
    )


def _csv_records(path: Path) -> _Records:
    """Non-empty CSV records; UTF-8 with or without BOM, comma or semicolon (Excel with a
    Vietnamese locale writes semicolons), chosen by counting them in the first non-blank line.

    A record is numbered as a spreadsheet would show it, so a quoted cell spanning two physical
    lines does not shift the numbers of later rows.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            first = ""
            while not first.strip() and (line := file.readline()):
                first = line
            delimiter = ";" if first.count(";") > first.count(",") else ","
            file.seek(0)
            for number, cells in enumerate(csv.reader(file, delimiter=delimiter), start=1):
                if not _is_empty(cells):
                    yield number, cells
    except UnicodeDecodeError:
        raise MemberFileError(
            f'{path.name} is not UTF-8 text; save it again as "CSV UTF-8"',
            f'Tệp {path.name} không phải văn bản UTF-8; hãy lưu lại dưới dạng "CSV UTF-8"',
        ) from None
    except csv.Error as exc:
        raise MemberFileError(
            f"{path.name} is not a readable CSV file ({exc})",
            f"Tệp {path.name} không phải tệp CSV đọc được ({exc})",
        ) from None
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _xlsx_records(path: Path) -> _Records:
    """Non-empty rows of the first worksheet, numbered as the sheet numbers them.

    Read-only mode streams the sheet instead of loading it. It trusts the size the file declares,
    which some exporters get wrong, so the declared size is discarded and the rows are read to the
    end. Formulas give their last computed value.
    """
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    except Exception:  # zipfile.BadZipFile, KeyError, XML errors: all mean "not a workbook"
        raise _not_a_workbook(path) from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells: tuple[object, ...] = tuple(values)
            if not _is_empty(cells):
                yield number, cells
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
        # ElementTree's ParseError is a SyntaxError; a damaged sheet shows up only when read.
        raise _not_a_workbook(path) from exc
    finally:
        workbook.close()


def _not_a_workbook(path: Path) -> MemberFileError:
    return MemberFileError(
        f"{path.name} is not a readable XLSX workbook",
        f"Tệp {path.name} không phải tệp XLSX đọc được",
    )


# Nothing above is particular to members: plan sheets are read the same way.
read_sheet = read_member_file
