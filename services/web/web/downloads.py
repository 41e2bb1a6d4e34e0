"""What every file the app hands out holds, column by column, for the data inventory
(docs/privacy-inventory.md, "The web app"). Declarations only: the routes build the files
with these Vietnamese headers, and the inventory's generator (`privacy/web_surfaces.py` of
the developer tools) fails while a download route, or a header one writes, is missing here.

A category says what a column tells of a person once it leaves the system beside their
name: `identifier`, `personal` (a name, a card number, a date of theirs, a household's
label), `sensitive` (party life: roles, standing, an evaluation, an absence's reason, a
problem's text) or `not personal`."""

from __future__ import annotations

from dataclasses import dataclass

IDENTIFIER, PERSONAL, SENSITIVE, NOT_PERSONAL = (
    "identifier",
    "personal",
    "sensitive",
    "not personal",
)


@dataclass(frozen=True)
class FileColumn:
    header_vi: str  # as the file's first row has it
    header_en: str
    category: str
    sheet: str = ""  # a workbook's other sheet; "" the first (the only one in a CSV)
    note: str = ""


@dataclass(frozen=True)
class Download:
    route: str  # as the app's route declares it
    what_vi: str
    what_en: str
    reads: tuple[str, ...]  # "<service> <API path>": the reads it is built from
    columns: tuple[FileColumn, ...] = ()
    # A file the app passes on unchanged: the service's export it is (its columns are the
    # service's), read for the signed-in member only.
    passes_on: str = ""


def _columns(*rows: tuple[str, str, str], sheet: str = "") -> tuple[FileColumn, ...]:
    return tuple(FileColumn(vi, en, category, sheet) for vi, en, category in rows)


NAME = ("Họ và tên", "full name", PERSONAL)
CARD = ("Số thẻ đảng viên", "party card number", PERSONAL)
ROLES = ("Chức vụ", "committee roles", SENSITIVE)
ADMITTED = ("Ngày vào Đảng", "admission date", PERSONAL)
MEMBERS = "assignment /branches/{branch_id}/members"
PLAN_READS = (MEMBERS, "assignment /branches/{branch_id}/plans/{year}")

DOWNLOADS: tuple[Download, ...] = (
    Download(
        "/branches/{branch_id}/members.{fmt}",
        "Danh sách đảng viên",
        "the branch's member list",
        (MEMBERS,),
        _columns(
            NAME,
            ROLES,
            ("Đảng viên", "full or probationary", SENSITIVE),
            ("Tình trạng", "standing: active, exempt, suspended, away, left", SENSITIVE),
            ADMITTED,
        ),
    ),
    Download(
        "/meetings/{meeting_id}.{fmt}",
        "Điểm danh cuộc họp",
        "a meeting's attendance sheet",
        ("attendance /meetings/{meeting_id}", MEMBERS),
        _columns(
            ("STT", "row number", NOT_PERSONAL),
            NAME,
            ("Điểm danh", "present or absent, with or without a reason", PERSONAL),
            ("Lý do vắng", "absence reason (free text)", SENSITIVE),
        ),
    ),
    Download(
        "/branches/{branch_id}/reports/{month}.{fmt}",
        "Báo cáo tháng",
        "the month's reports",
        ("assignment /branches/{branch_id}/reports/{month}", MEMBERS),
        _columns(
            NAME,
            ("Phụ trách", "what the report is on: the households, or a duty's name", PERSONAL),
            ("Tình trạng", "reported on time, late or not", PERSONAL),
            ("Ngày nộp", "date reported", PERSONAL),
            ("Người ghi", "entered by the member or the secretary", NOT_PERSONAL),
            ("Đánh giá", "the secretary's evaluation", SENSITIVE),
        ),
    ),
    Download(
        "/branches/{branch_id}/problems.{fmt}",
        "Vấn đề đang theo dõi",
        "the branch's open problems",
        ("assignment /branches/{branch_id}/reports/{month}", MEMBERS),
        _columns(
            ("Người nêu", "who raised it (a member's name)", PERSONAL),
            ("Tháng", "month", NOT_PERSONAL),
            ("Ngày nêu", "date raised", NOT_PERSONAL),
            ("Vấn đề", "the problem's text (may name household members)", SENSITIVE),
            ("Tình trạng", "open or handed up", NOT_PERSONAL),
            ("Đã báo cáo lên", "the unit it was handed up to", NOT_PERSONAL),
        ),
    ),
    Download(
        "/branches/{branch_id}/plans/{year}.{fmt}",
        "Phân công",
        "the year's plan",
        PLAN_READS,
        _columns(
            NAME,
            ("Số hộ", "number of households", NOT_PERSONAL),
            ("Hộ phụ trách", "the households, by their labels", PERSONAL),
            ("Nhóm hộ, tuyến đường, nhiệm vụ", "groups, routes and tasks, by name", PERSONAL),
        ),
    ),
    Download(
        "/branches/{branch_id}/plans/{year}/template.xlsx",
        "Bảng phân công (mẫu tải lên)",
        "the plan sheet to fill in and upload",
        PLAN_READS,
        _columns(
            NAME,
            CARD,
            ("Hộ phụ trách", "households, by their codes", IDENTIFIER),
            ("Nhóm hộ", "a household group's code", NOT_PERSONAL),
            ("Tuyến đường", "a route's code", NOT_PERSONAL),
            ("Nhiệm vụ", "a task's code", NOT_PERSONAL),
            ROLES,
        )
        + _columns(
            ("Loại", "kind: household, group, route or task", NOT_PERSONAL),
            ("Mã (ghi vào bảng Phân công)", "its code (a household's id)", IDENTIFIER),
            ("Tên", "a household's label, a duty's name", PERSONAL),
            ("Người phụ trách năm {year}", "who holds it this year (names)", PERSONAL),
            sheet="Danh mục",
        ),
    ),
    Download(
        "/branches/{branch_id}/members/import/template.xlsx",
        "Danh sách đảng viên (mẫu tải lên)",
        "the member list to fill in and upload",
        (MEMBERS,),
        (
            FileColumn(*NAME),
            FileColumn("Ngày sinh", "birth date", PERSONAL, note="left empty: never given out"),
            FileColumn(*ADMITTED),
            FileColumn(*CARD),
            FileColumn("Chi bộ", "the branch's code", NOT_PERSONAL),
        ),
    ),
    Download(
        "/me/personal-data/{service}.xlsx",
        "Dữ liệu cá nhân của tôi",
        "my personal data (right of access)",
        tuple(
            f"{s} /members/{{member_id}}/personal-data"
            for s in ("assignment", "attendance", "rating")
        ),
        passes_on="/members/{member_id}/personal-data?format=xlsx",
    ),
)
