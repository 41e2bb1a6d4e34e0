"""A branch's work through every kind of command, in an order the domain accepts; `<step>`
in a path or body is the id an earlier step's answer gave (`<problem>`: the month's first
open problem)."""

from __future__ import annotations

from typing import Any

from .load import registration
from .steps import Step

BRANCH, HOST, GONE = "RT-A", "RT-B", "RT-C"
PLAN = f"/v1/branches/{BRANCH}/plans/2025"
REPORTS = f"/v1/branches/{BRANCH}/reports/2025-03"
MEETINGS = f"/v1/branches/{BRANCH}/meetings"
ON = "2025-01-01"


def _unit(unit: str, name: str) -> Step:
    body = {"unit_id": unit, "kind": "branch", "name": name, "parent_id": "VL", "valid_from": ON}
    return Step(f"create unit {unit}", "assignment", "/v1/units", body)


def _register(name: str, **extra: Any) -> Step:
    return Step(name, "assignment", "/v1/members", {**registration(BRANCH, "retry").body, **extra})


def _member(kind: str, member: str, suffix: str, body: dict[str, Any]) -> Step:
    return Step(kind, "assignment", f"/v1/members/<{member}>{suffix}", body)


def _rating(kind: str, suffix: str, body: dict[str, Any]) -> Step:
    return Step(kind, "rating", f"/v1/members/<register 2>/ratings/2025/{suffix}", body)


def _present(*members: str) -> list[dict[str, Any]]:
    return [{"member_id": f"<{m}>", "status": "present"} for m in members]


STEPS: list[Step] = [
    _unit(BRANCH, "Chi bộ thử lại A"),
    _unit(HOST, "Chi bộ thử lại B"),
    _unit(GONE, "Chi bộ thử lại C"),
    Step(
        "rename unit",
        "assignment",
        f"/v1/units/{HOST}/name",
        {"name": "Chi bộ thôn Bản Mạc", "valid_from": "2024-01-01"},
    ),
    Step(
        "dissolve unit",
        "assignment",
        f"/v1/units/{GONE}/dissolution",
        {"valid_from": "2024-06-01", "reason": "sáp nhập thôn"},
    ),
    Step(
        "set household range",
        "assignment",
        "/v1/units/LC/household-range",
        {"min_households": 1, "max_households": 20, "valid_from": ON},
    ),
    Step(
        "set visit quota",
        "assignment",
        "/v1/units/LC/visit-quotas",
        {"level": "commune", "meetings_per_year": 4, "valid_from": ON},
    ),
    _register("register"),
    _register("register 2"),
    _register("register 3"),
    _register("register probationary", status="probationary", admission_date="2024-06-01"),
    _member("give role", "register", "/roles", {"role": "secretary", "since": "2020-10-01"}),
    Step(
        "correct identity",
        "assignment",
        "/v1/members/<register 2>/identity",
        {"full_name": "Lò Thị Mai Anh"},
        method="PUT",
    ),
    _member("confirm", "register probationary", "/confirmation", {"on": "2025-06-01"}),
    _member(
        "exempt",
        "register 3",
        "/exemption",
        {"from_date": "2025-03-01", "to_date": "2025-08-31", "reason": "ốm dài ngày"},
    ),
    _member(
        "suspend", "register 3", "/suspension", {"from_date": "2025-09-01", "reason": "kỷ luật"}
    ),
    _member(
        "temporary attendance",
        "register 2",
        "/temporary-attendance",
        {"host_branch_id": HOST, "from_date": "2025-08-01", "to_date": "2025-12-01"},
    ),
    Step(
        "register households",
        "assignment",
        f"/v1/branches/{BRANCH}/households",
        {"households": [{"household_id": f"rt-{i}", "label": f"Hộ {i}"} for i in range(5)]},
    ),
    Step("draft plan", "assignment", PLAN, {}),
    Step(
        "assign households",
        "assignment",
        f"{PLAN}/assignments",
        {
            "assignments": [
                {"member_id": "<register>", "household_ids": ["rt-0", "rt-1"]},
                {"member_id": "<register 2>", "household_ids": ["rt-2", "rt-3"]},
            ]
        },
    ),
    Step(
        "adopt plan",
        "assignment",
        f"{PLAN}/adoption",
        {"resolution_number": "01/NQ-CB", "adopted_on": "2025-01-10"},
    ),
    Step(
        "submit reports",
        "assignment",
        REPORTS,
        {
            "reports": [
                {
                    "member_id": f"<{m}>",
                    "situation": "ổn định",
                    "submitted_on": "2025-03-27",
                    "problems": ["Đường vào thôn bị sạt lở"] if m == "register" else [],
                }
                for m in ("register", "register 2")
            ]
        },
    ),
    Step(
        "review reports",
        "assignment",
        f"{REPORTS}/reviews",
        {
            "reviewed_on": "2025-03-28",
            "reviews": [
                {"member_id": f"<{m}>", "evaluation": "good", "comment": "hoàn thành tốt"}
                for m in ("register", "register 2")
            ],
        },
    ),
    Step(
        "escalate problem",
        "assignment",
        "/v1/problems/<problem>/escalation",
        {"to_unit_id": "VL", "on": "2025-04-02", "note": "cần xã hỗ trợ"},
    ),
    Step(
        "resolve problem",
        "assignment",
        "/v1/problems/<problem>/resolution",
        {"on": "2025-04-20", "resolution": "đã san lấp đường"},
    ),
    Step(
        "schedule meeting",
        "attendance",
        MEETINGS,
        {"kind": "regular", "scheduled_for": "2025-04-05T19:30:00+07:00", "place": "Nhà văn hóa"},
    ),
    Step(
        "postpone meeting",
        "attendance",
        "/v1/meetings/<schedule meeting>/postponement",
        {"to_time": "2025-04-07T19:30:00+07:00", "reason": "mưa lũ"},
    ),
    Step(
        "hold meeting",
        "attendance",
        "/v1/meetings/<schedule meeting>/held",
        {
            "started_at": "2025-04-07T19:30:00+07:00",
            "ended_at": "2025-04-07T21:00:00+07:00",
            "place": "Nhà văn hóa",
            "chair_id": "<register>",
            "minutes_recorded": True,
            "prepared_by_committee": True,
            "attendance": _present("register", "register 2", "register probationary"),
        },
    ),
    Step(
        "correct attendance",
        "attendance",
        "/v1/meetings/<schedule meeting>/attendance/corrections",
        {
            "reason": "ghi nhầm",
            "marks": [{"member_id": "<register 2>", "status": "absent_excused", "reason": "ốm"}],
        },
    ),
    Step(
        "schedule thematic meeting",
        "attendance",
        MEETINGS,
        {
            "kind": "thematic",
            "scheduled_for": "2025-05-12T19:30:00+07:00",
            "place": "Nhà văn hóa",
            "topic": "Chuyển đổi số",
        },
    ),
    Step(
        "cancel meeting",
        "attendance",
        "/v1/meetings/<schedule thematic meeting>/cancellation",
        {"reason": "trùng lịch bầu cử"},
    ),
    _rating(
        "self-assessment",
        "self-assessment",
        {
            "general_points": 27,
            "task_points": 60,
            "tasks_total": 4,
            "tasks_on_time": 4,
            "tasks_exceeded": 0,
            "level": "good",
        },
    ),
    _rating("appraisal", "appraisal", {"level": "good", "note": "hoàn thành tốt"}),
    _rating(
        "comment",
        "comments",
        {
            "source": "temporary_host",
            "from_unit": "Chi bộ thôn Bản Mạc",
            "comment": "sinh hoạt đầy đủ",
            "commented_on": "2025-12-01",
        },
    ),
    _member("transfer", "register 2", "/transfer", {"to_branch_id": HOST, "on": "2025-12-15"}),
    _member(
        "departure",
        "register probationary",
        "/departure",
        {"on": "2025-12-20", "reason": "chuyển công tác"},
    ),
    # A mistaken entry, its departure recorded: erasable at once.
    _member("erase", "register probationary", "/erasure", {"basis": "entered_in_error"}),
]
