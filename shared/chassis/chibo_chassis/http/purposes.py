"""Why personal data is read: a short code from a fixed list, sent in `X-Purpose` and logged
with the read. A route names its usual purpose; the caller may name another from the list.
A code not on the list is refused (422), so the log holds only purposes an auditor can
read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

from chibo_kernel.errors import RuleViolation

HEADER = "X-Purpose"
PURPOSES: dict[str, tuple[str, str]] = {
    "monthly_meeting": ("the branch's monthly meeting", "sinh hoạt chi bộ hằng tháng"),
    "assignment_planning": ("assigning and following tasks", "phân công, theo dõi nhiệm vụ"),
    "year_end_rating": ("the year-end rating", "đánh giá, xếp loại chất lượng cuối năm"),
    "member_records": (
        "member records: imports, transfers, removal under Charter art. 8",
        "hồ sơ đảng viên: nhập danh sách, chuyển sinh hoạt, xóa tên theo Điều 8 Điều lệ",
    ),
    "supervision": ("upper-level supervision", "cấp trên kiểm tra, giám sát"),
    "audit": ("an audit or inspection", "kiểm tra, thanh tra"),
    "data_subject_request": ("a data subject's request", "yêu cầu của chủ thể dữ liệu"),
}


class UnknownPurpose(RuleViolation):
    def __init__(self, given: str) -> None:
        codes = ", ".join(PURPOSES)
        super().__init__(
            "unknown_purpose",
            f"{HEADER} {given[:40]!r} is not a purpose on the list; send one of: {codes}",
            f"mục đích {given[:40]!r} ({HEADER}) không có trong danh mục; hãy gửi một trong: "
            f"{codes}",
        )


def chosen_purpose(given: str | None, default: str) -> str:
    if given is None or given == "":
        return default
    if given not in PURPOSES:
        raise UnknownPurpose(given)
    return given


PurposeHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        description="Why the data is read, one of: "
        + "; ".join(f"`{code}` ({en})" for code, (en, _) in PURPOSES.items())
        + ". Logged with the read; the route's default purpose if left out.",
        json_schema_extra={"enum": [*PURPOSES, None]},
    ),
]
