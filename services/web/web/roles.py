"""The roles' names as people say them, and the embedded stack's demo roles."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_chassis.auth import Role

ROLE_NAMES: dict[str, tuple[str, str]] = {
    Role.PROVINCE_ADMIN: ("Quản trị tỉnh", "Province administrator"),
    Role.ORGANISATION_BOARD: ("Ban thường vụ", "Organisation board"),
    Role.GRASSROOTS_COMMITTEE: ("Đảng ủy cơ sở", "Grassroots committee"),
    Role.BRANCH_SECRETARY: ("Bí thư chi bộ", "Branch secretary"),
    Role.MEMBER: ("Đảng viên", "Party member"),
    Role.AUDITOR: ("Kiểm tra (chỉ xem)", "Auditor (read only)"),
}


def role_name(role: str, lang: str) -> str:
    vi, en = ROLE_NAMES.get(role, (role, role))
    return en if lang == "en" else vi


@dataclass(frozen=True)
class DemoRole:
    key: str  # the form's value
    role: Role
    org: str
    who_vi: str
    who_en: str


# Over the seeds' demo units: Đảng bộ tỉnh Lào Cai (LC) > huyện Văn Bàn (VB) > xã Võ Lao
# (VL) > Chi bộ thị tứ Võ Lao (VL-TT) and Chi bộ thôn Khe Có (VL-KC).
DEMO_ROLES = (
    DemoRole(
        "secretary-vl-tt",
        Role.BRANCH_SECRETARY,
        "LC.VB.VL.VL-TT",
        "Bí thư Chi bộ thị tứ Võ Lao",
        "Secretary of Chi bộ thị tứ Võ Lao",
    ),
    DemoRole(
        "secretary-vl-kc",
        Role.BRANCH_SECRETARY,
        "LC.VB.VL.VL-KC",
        "Bí thư Chi bộ thôn Khe Có",
        "Secretary of Chi bộ thôn Khe Có",
    ),
    DemoRole(
        "member-vl-tt",
        Role.MEMBER,
        "LC.VB.VL.VL-TT",
        "Đảng viên Chi bộ thị tứ Võ Lao",
        "A member of Chi bộ thị tứ Võ Lao",
    ),
    DemoRole(
        "committee-vl", Role.GRASSROOTS_COMMITTEE, "LC.VB.VL", "Đảng ủy xã Võ Lao", "Võ Lao commune"
    ),
    DemoRole(
        "board-vb",
        Role.ORGANISATION_BOARD,
        "LC.VB",
        "Ban thường vụ Huyện ủy Văn Bàn",
        "Văn Bàn district board",
    ),
    DemoRole(
        "auditor-lc",
        Role.AUDITOR,
        "LC",
        "Ủy ban Kiểm tra Tỉnh ủy Lào Cai",
        "Lào Cai inspection committee",
    ),
    DemoRole("admin", Role.PROVINCE_ADMIN, "", "Quản trị tỉnh", "Province administrator"),
)
