"""The member list to fill in and upload: the first sheet has the columns the member import
reads, pre-filled with the branch's members as the service knows them, so the secretary adds
new members below them. Birth dates are private to the service and never leave it, so that
column is left for the secretary: a listed member with the right birth date is counted as
unchanged, and a row without one is reported, not imported. A second sheet says how."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from chibo_chassis.spreadsheets import guard

from .branch_data import Branch
from .formats import day

# The member import finds its columns by these headers (accents optional).
NAME, BIRTH, ADMITTED, CARD, BRANCH = (
    "Họ và tên",
    "Ngày sinh",
    "Ngày vào Đảng",
    "Số thẻ đảng viên",
    "Chi bộ",
)
HEADERS = (NAME, BIRTH, ADMITTED, CARD, BRANCH)
WIDTHS = (30, 14, 16, 20, 14)
TEXT = "@"  # dates as dd/mm/yyyy text and card numbers with their leading zeros


def members_template(branch: Branch) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đảng viên"
    sheet.append(list(HEADERS))
    for cell, width in zip(sheet[1], WIDTHS, strict=True):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    for member in branch.members:
        if member.get("standing") == "left" or not member.get("card_number"):
            continue
        sheet.append(
            [
                guard(member.get("full_name") or ""),
                "",
                day(member.get("admitted_on")),
                guard(str(member["card_number"])),
                guard(branch.branch_id),
            ]
        )
    # The columns' format, not each cell's: rows typed in later are text too (a typed
    # 08/03/1975 stays that day whatever the computer's date order), and the sheet's last
    # row stays its last filled one.
    for cell in sheet[1]:
        sheet.column_dimensions[cell.column_letter].number_format = TEXT
    notes = book.create_sheet("Hướng dẫn")
    notes.column_dimensions["A"].width = 100
    for number, line in enumerate(_instructions(branch)):
        notes.append([line])
        cell = notes.cell(notes.max_row, 1)
        cell.alignment = Alignment(wrap_text=True)
        if number == 0:
            cell.font = Font(bold=True, size=13)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _instructions(branch: Branch) -> tuple[str, ...]:
    return (
        f"Danh sách đảng viên — {branch.name}",
        "1. Chỉ trang “Đảng viên” được đọc khi tải lên; không đổi tên các cột ở dòng 1.",
        "2. Thêm đảng viên mới ở cuối bảng, mỗi người một dòng; ngày ghi dd/mm/yyyy.",
        f"3. Cột “Chi bộ” ghi mã chi bộ: {branch.branch_id}.",
        "4. Các đảng viên đã có được ghi sẵn để đối chiếu. Ngày sinh không được ghi sẵn"
        " (thông tin riêng): ghi ngày sinh cho họ, hoặc xóa các dòng đó.",
        "5. Đảng viên đã có với thông tin trùng khớp thì không thay đổi gì; khác thì được báo"
        " lại, không ghi đè.",
        "6. Dòng sai được báo rõ dòng nào, sai gì; các dòng đúng vẫn được ghi.",
    )
