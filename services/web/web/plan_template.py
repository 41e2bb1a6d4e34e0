"""The plan's sheet to fill in and upload: the first sheet is what the assignment service's
import reads (its column headers, one row per member found by card number), pre-filled with
what each member holds now; a second sheet lists the households, groups, routes and tasks
with the code to write for each; a third says how. Only the first sheet is read back, so
the other two may hold anything."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from chibo_chassis.spreadsheets import guard

from .plan_data import PlanScreen

# The import finds its columns by these headers (accents optional); "Họ và tên" and
# "Chức vụ" are for people and are not read.
NAME, CARD, HOUSEHOLDS, GROUP, ROUTE, TASK, ROLE = (
    "Họ và tên",
    "Số thẻ đảng viên",
    "Hộ phụ trách",
    "Nhóm hộ",
    "Tuyến đường",
    "Nhiệm vụ",
    "Chức vụ",
)
HEADERS = (NAME, CARD, HOUSEHOLDS, GROUP, ROUTE, TASK, ROLE)
WIDTHS = (28, 18, 40, 16, 16, 22, 22)
ROLE_VI = {
    "secretary": "Bí thư",
    "deputy_secretary": "Phó bí thư",
    "committee_member": "Chi ủy viên",
}
TEXT = "@"  # Excel's text format: card numbers keep their leading zeros


def plan_template(screen: PlanScreen) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phân công"
    _header(sheet, HEADERS, WIDTHS)
    for row in _member_rows(screen):
        sheet.append([_text(v) for v in row])
    # The column's format, not each cell's: rows typed in later are text too, and the
    # sheet's last row stays its last filled one.
    sheet.column_dimensions["B"].number_format = TEXT
    _lists(book.create_sheet("Danh mục"), screen)
    _instructions(book.create_sheet("Hướng dẫn"), screen)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _member_rows(screen: PlanScreen) -> Iterable[list[str]]:
    """One row a member; a member with more than one group, route or task gets a row more
    for each, with the same card number (the import adds, never removes)."""
    for member in screen.free_for_duties():
        card = member.get("card_number")
        if not card:
            continue  # erased: nobody can be found by it
        held = screen.member(member["member_id"]) or {}
        households = ", ".join(h["household_id"] for h in held.get("households", []))
        duties = [[d[f"{kind[:-1]}_id"] for d in held.get(kind, [])] for kind in _KINDS]
        role = ", ".join(ROLE_VI.get(r, r) for r in member.get("roles", []))
        for extra in range(max(1, *(len(d) for d in duties))):
            cells = [d[extra] if extra < len(d) else "" for d in duties]
            yield [member["full_name"], card, households if extra == 0 else "", *cells, role]


_KINDS = ("groups", "routes", "tasks")


def _lists(sheet: Worksheet, screen: PlanScreen) -> None:
    _header(
        sheet,
        ("Loại", "Mã (ghi vào bảng Phân công)", "Tên", f"Người phụ trách năm {screen.year}"),
        (14, 30, 40, 30),
    )
    area = screen.area or {}
    for household in area.get("households", []):
        holder = household.get("holder") or {}
        sheet.append(
            _texts("Hộ", household["household_id"], household["label"], holder.get("full_name"))
        )
    for kind, key, title in (("groups", "group_id", "Nhóm hộ"), ("routes", "route_id", "Tuyến")):
        for duty in area.get(kind, []):
            holder = duty.get("holder") or {}
            sheet.append(_texts(title, duty[key], duty["name"], holder.get("full_name")))
    for task in area.get("tasks", []):
        holders = ", ".join(h.get("full_name") or "" for h in task.get("holders", []))
        sheet.append(_texts("Nhiệm vụ", task["task_id"], task["name"], holders))


def _instructions(sheet: Worksheet, screen: PlanScreen) -> None:
    bounds = screen.plan.get("household_range") or {"min": 5, "max": 10}
    lines = (
        f"Bảng phân công đảng viên phụ trách hộ năm {screen.year} — {screen.branch.name}",
        "1. Chỉ trang “Phân công” được đọc khi tải lên; không đổi tên các cột ở dòng 1.",
        "2. Mỗi dòng là một đảng viên, nhận biết theo “Số thẻ đảng viên”: không sửa số thẻ.",
        "3. Cột “Hộ phụ trách”: ghi mã hộ (xem trang “Danh mục”), cách nhau bằng dấu phẩy.",
        f"   Mỗi đảng viên nên phụ trách từ {bounds['min']} đến {bounds['max']} hộ.",
        "4. Cột “Nhóm hộ”, “Tuyến đường”, “Nhiệm vụ”: ghi một mã; cần thêm thì thêm một dòng"
        " cùng số thẻ.",
        "5. Hộ đã giao giữ nguyên; mỗi hộ chỉ một đảng viên phụ trách.",
        "6. Nếu có dòng sai, cả bảng chưa được lưu: trang kết quả ghi rõ dòng nào, sai gì.",
        "7. Đảng viên đang miễn, đình chỉ hoặc sinh hoạt tạm thời nơi khác không có trong bảng.",
    )
    sheet.column_dimensions["A"].width = 100
    for number, line in enumerate(lines):
        sheet.append([line])
        cell = sheet.cell(sheet.max_row, 1)
        cell.alignment = Alignment(wrap_text=True)
        if number == 0:
            cell.font = Font(bold=True, size=13)


def _header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    sheet.append(list(headers))
    for cell, width in zip(sheet[1], widths, strict=True):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _text(value: object) -> str:
    return guard(str(value)) if value is not None else ""


def _texts(*values: object) -> list[str]:
    return [_text(v) for v in values]
