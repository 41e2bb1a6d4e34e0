"""The rest of the command kinds, each placed after the step of commands.py it needs:
units moved and merged, duties, mentors and followings, a plan's import from a file,
attendance recorded apart from holding, guests, the rating decisions of a year, and the
Charter art. 8 removal procedure (after three monthly meetings the confirmed member missed
without a reason)."""

from __future__ import annotations

from typing import Any

from .commands import BRANCH, HOST, MEETINGS, ON, PLAN, STEPS
from .load import registration
from .steps import Step

YEAR = "ratings/2025"


def _unit(unit: str, kind: str, parent: str) -> Step:
    body = {"unit_id": unit, "kind": kind, "name": f"Thử lại {unit}", "parent_id": parent}
    return Step(f"create unit {unit}", "assignment", "/v1/units", {**body, "valid_from": ON})


def _of_member(kind: str, member: str, suffix: str, body: dict[str, Any]) -> Step:
    return Step(kind, "rating", f"/v1/members/<{member}>/{YEAR}/{suffix}", body)


def _of_unit(kind: str, unit: str, suffix: str, body: dict[str, Any]) -> Step:
    return Step(kind, "rating", f"/v1/units/{unit}/{YEAR}/{suffix}", body)


def _card(step: str) -> str:
    return str(next(s for s in STEPS if s.kind == step).body["card_number"])


def _on() -> dict[str, str]:
    return {"valid_from": "2024-03-01"}


def _period() -> dict[str, str]:
    return {"from_date": "2025-05-01", "to_date": "2025-05-20"}


def _granted() -> dict[str, str]:
    return {"granted_on": "2025-12-01", "reason": "địa bàn khó khăn"}


BY = {"decided_on": "2025-12-20"}
ABSENTEE = "register probationary"  # confirmed in June; missing July to September


def _missed(month: int, expected: tuple[str, ...]) -> list[Step]:
    """A month's meeting scheduled and held, the absentee marked absent without a reason."""
    at = f"2025-{month:02}-10T19:30:00+07:00"
    name = f"schedule meeting {month:02}"
    marks = [
        {"member_id": f"<{m}>", "status": "absent_unexcused" if m == ABSENTEE else "present"}
        for m in expected
    ]
    held = {"started_at": at, "ended_at": f"2025-{month:02}-10T21:00:00+07:00"}
    return [
        Step(
            name,
            "attendance",
            MEETINGS,
            {"kind": "regular", "scheduled_for": at, "place": "Nhà văn hóa"},
        ),
        Step(
            f"hold meeting {month:02}",
            "attendance",
            f"/v1/meetings/<{name}>/held",
            held
            | {"place": "Nhà văn hóa", "chair_id": "<register>", "minutes_recorded": True}
            | {"prepared_by_committee": True, "attendance": marks},
        ),
    ]


REMOVAL = [
    *_missed(7, ("register", "register 2", ABSENTEE)),
    *_missed(8, ("register", ABSENTEE)),  # register 2 attends with the host branch
    *_missed(9, ("register", ABSENTEE)),
    Step(
        "propose removal",
        "rating",
        f"/v1/members/<{ABSENTEE}>/ratings/2025/removal-proposal",
        {"proposed_on": "2025-10-05"},
    ),
    Step(
        "decide removal",
        "rating",
        f"/v1/members/<{ABSENTEE}>/ratings/2025/removal-decision",
        {"removed": True, "decided_on": "2025-10-20"}
        | {"reason": "bỏ sinh hoạt ba tháng không có lý do"},
    ),
]
AFTER: dict[str, list[Step]] = {
    "set visit quota": [
        _unit("VL2", "grassroots", "VB"),
        _unit("RT-D", "branch", "VL"),
        _unit("RT-E", "branch", "VL"),
        Step("move unit", "assignment", "/v1/units/RT-D/move", {"to_parent_id": "VL2", **_on()}),
        Step(
            "merge unit", "assignment", "/v1/units/RT-E/merger", {"into_unit_id": "RT-A", **_on()}
        ),
    ],
    "register probationary": [
        Step("register guest", "assignment", "/v1/members", registration(HOST, "guest").body),
    ],
    "adopt plan": [
        Step(
            "import assignments",
            "assignment",
            f"{PLAN}/assignments/import?filename=phan-cong.csv",
            {},
            raw="Số thẻ đảng viên,Hộ phụ trách,Nhóm hộ,Tuyến đường,Nhiệm vụ\n"
            f"{_card('register probationary')},rt-4,,,\n",
        ),
        Step(
            "define duties",
            "assignment",
            f"/v1/branches/{BRANCH}/duties",
            {"tasks": [{"id": "t-1", "name": "Tuyên truyền"}], "routes": [], "groups": []},
        ),
        Step(
            "assign duties",
            "assignment",
            f"{PLAN}/duties",
            {"duties": [{"member_id": "<register>", "kind": "task", "target_id": "t-1"}]},
        ),
        Step(
            "assign mentor",
            "assignment",
            f"{PLAN}/mentors",
            {"mentor_id": "<register>", "member_ids": ["<register probationary>"]},
        ),
        Step(
            "assign following",
            "assignment",
            "/v1/followers/<register>/years/2025",
            {"level": "commune", "unit_ids": [BRANCH]},
        ),
    ],
    "cancel meeting": [
        Step(
            "schedule meeting 3",
            "attendance",
            MEETINGS,
            {
                "kind": "regular",
                "scheduled_for": "2025-06-05T19:30:00+07:00",
                "place": "Hội trường",
            },
        ),
        Step(
            "hold meeting without sheet",
            "attendance",
            "/v1/meetings/<schedule meeting 3>/held",
            {
                "started_at": "2025-06-05T19:30:00+07:00",
                "ended_at": "2025-06-05T21:00:00+07:00",
                "place": "Hội trường",
                "chair_id": "<register>",
                "minutes_recorded": True,
                "prepared_by_committee": True,
            },
        ),
        Step(
            "record attendance",
            "attendance",
            "/v1/meetings/<schedule meeting 3>/attendance",
            {
                "marks": [
                    {"member_id": f"<{m}>", "status": "present"}
                    for m in ("register", "register 2", "register probationary")
                ]
            },
        ),
        Step(
            "add guests",
            "attendance",
            "/v1/meetings/<schedule meeting 3>/guests",
            {"guests": [{"member_id": "<register guest>", "level": "commune"}]},
        ),
        *REMOVAL,
    ],
    "comment": [
        _of_member("leave", "register", "leave", {"kind": "sick", **_period()}),
        _of_member(
            "discipline",
            "register 3",
            "discipline",
            {"measure": "reprimand", "decided_on": "2025-10-01", "reason": "vi phạm quy chế"},
        ),
        _of_member(
            "conclusion",
            "register 3",
            "conclusions",
            {"kind": "degradation", "concluded_on": "2025-11-01"}
            | {"reason": "suy thoái tư tưởng"},
        ),
        _of_unit(
            "unit appraisal",
            BRANCH,
            "appraisal",
            {"level": "good", "points": 85},
        ),
        _of_unit("allowance", "VL", "allowance", _granted()),
        _of_unit("cohort", BRANCH, "cohort", {"cohort_id": "VL", **BY}),
        _of_unit(
            "decisions",
            BRANCH,
            "decisions",
            {"decisions": [{"subject_id": "<register>", "level": "good"}], **BY},
        ),
        _of_unit(
            "cancellation",
            BRANCH,
            "cancellations",
            {"subject_id": "<register>", "by_unit_id": "VB", "reason": "xếp loại sai"}
            | {"cancelled_on": "2025-12-28"},
        ),
    ],
}


def every_kind() -> list[Step]:
    steps = []
    for step in STEPS:
        steps.append(step)
        steps.extend(AFTER.get(step.kind, []))
    return steps
