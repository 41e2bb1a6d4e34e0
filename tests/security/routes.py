"""Every command endpoint (POST route) of the three services, with a baseline request that
the service accepts: real ids, real dates, Vietnamese text. Hostile runs change one thing in
it at a time, so what they send gets past everything but the one thing changed, all the way
to the domain rules and the event store.

Routes that work once per target (dissolve a unit, hold a meeting, decide a year) get a
fresh target for every request, made through the API as the administrator beforehand.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .harness import System
from .seeds import BRANCH, MONTH, OTHER_BRANCH, YEAR, Seeds


@dataclass
class Target:
    path: str
    body: Any = None  # JSON
    raw: bytes | None = None  # or a file upload, sent as the body
    query: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> value
    template: str = ""


class Context:
    """Fresh targets, made as the administrator through the API."""

    def __init__(self, system: System, seeds: Seeds) -> None:
        self.system = system
        self.seeds = seeds
        self.counter = itertools.count(1)
        self.pools: dict[str, list[Any]] = {}

    def n(self) -> int:
        return next(self.counter)

    def ok(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        return self.system.ok(service, method, path, **kwargs)

    # assignment
    def branch(self, parent: str = "VL") -> str:
        unit = f"FZ-B{self.n()}"
        body = {
            "unit_id": unit,
            "kind": "branch",
            "name": f"Chi bộ thôn {unit}",
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        self.ok("assignment", "POST", "/v1/units", json=body)
        return unit

    def member(self, branch: str = BRANCH, status: str = "full") -> str:
        n = self.n()
        body = {
            "full_name": f"Đảng viên {n:04}",
            "branch_id": branch,
            "admission_date": "2024-06-01" if status == "probationary" else "2010-05-19",
            "status": status,
            "card_number": f"{7000000 + n}",
            "birth_date": "1980-02-03",
        }
        return str(self.ok("assignment", "POST", "/v1/members", json=body)["member_id"])

    def departed_member(self) -> str:
        """A member entered in error, the departure recorded: erasable at once."""
        member = self.member()
        body = {"on": "2025-06-30", "reason": "Nhập nhầm"}
        self.ok("assignment", "POST", f"/v1/members/{member}/departure", json=body)
        return member

    def assigned_member(self) -> str:
        """A member of BRANCH holding a household of its own in the seeded plan year."""
        member = self.member()
        household = f"fz-a{self.n()}"
        households = {"households": [{"household_id": household, "label": "Hộ bà Lò Thị Mai"}]}
        self.ok("assignment", "POST", f"/v1/branches/{BRANCH}/households", json=households)
        assignments = {"assignments": [{"member_id": member, "household_ids": [household]}]}
        url = f"/v1/branches/{BRANCH}/plans/{YEAR}/assignments"
        self.ok("assignment", "POST", url, json=assignments)
        return member

    def problem(self) -> str:
        member = self.assigned_member()
        report = {
            "member_id": member,
            "situation": "Có vướng mắc",
            "submitted_on": f"{MONTH}-27",
            "problems": [f"Vướng mắc {self.n()}"],
        }
        url = f"/v1/branches/{BRANCH}/reports/{MONTH}"
        self.ok("assignment", "POST", url, json={"reports": [report]})
        month = self.ok("assignment", "GET", url)
        found = [p["problem_id"] for p in month["open_problems"] if p["member_id"] == member]
        return str(found[0])

    def drafted_plan(self) -> str:
        branch = self.branch()
        self.ok("assignment", "POST", f"/v1/branches/{branch}/plans/{YEAR}", json={})
        return branch

    # attendance
    def meeting(self) -> str:
        day = 1 + self.n() % 28
        body = {
            "kind": "thematic",
            "scheduled_for": f"{YEAR}-05-{day:02}T19:30:00+07:00",
            "place": "Nhà văn hóa",
            "topic": "Chuyên đề học tập và làm theo",
        }
        found = self.ok("attendance", "POST", f"/v1/branches/{BRANCH}/meetings", json=body)
        return str(found["meeting_id"])

    def held_meeting(self, with_sheet: bool) -> str:
        meeting = self.meeting()
        body = held_body(self.seeds, day="2025-05-01")
        if not with_sheet:
            body.pop("attendance")
        self.ok("attendance", "POST", f"/v1/meetings/{meeting}/held", json=body)
        return meeting

    # rating: members and branches made up front, so the read models hold them
    def take(self, pool: str) -> Any:
        found = self.pools.get(pool)
        if not found:
            raise LookupError(f"pool {pool} is empty or was never filled")
        return found.pop()


def held_body(seeds: Seeds, day: str) -> dict[str, Any]:
    return {
        "started_at": f"{day}T19:30:00+07:00",
        "ended_at": f"{day}T21:05:00+07:00",
        "place": "Nhà văn hóa thôn",
        "chair_id": seeds.members[0],
        "minutes_recorded": True,
        "prepared_by_committee": True,
        "attendance": [{"member_id": m, "status": "present"} for m in seeds.members],
    }


Build = Callable[[Context], Target]
MEMBER_CSV = (
    "Họ và tên,Ngày sinh,Ngày vào Đảng,Số thẻ đảng viên,Chi bộ\n"
    "Nguyễn Thị Hồng,1970-01-01,2010-05-19,{card},VL-TT\n"
)
PLAN_CSV = "Số thẻ đảng viên,Hộ phụ trách,Nhóm hộ,Tuyến đường,Nhiệm vụ\n8800000,h-06,,,\n"


def _assignment(c: Context) -> dict[str, Build]:
    s = c.seeds
    m0 = s.members[0]
    return {
        "/v1/units": lambda c: Target(
            "/v1/units",
            {
                "unit_id": f"FZ-U{c.n()}",
                "kind": "branch",
                "name": "Chi bộ thôn Mới",
                "parent_id": "VL",
                "valid_from": "2025-01-01",
            },
        ),
        "/v1/units/{unit_id}/name": lambda c: _at(
            "/v1/units/{unit_id}/name",
            {"unit_id": c.branch()},
            {"name": "Chi bộ thôn Đổi Tên", "valid_from": "2025-06-01"},
        ),
        "/v1/units/{unit_id}/dissolution": lambda c: _at(
            "/v1/units/{unit_id}/dissolution",
            {"unit_id": c.branch()},
            {"valid_from": "2025-06-01", "reason": "Giải thể theo Quyết định số 12"},
        ),
        "/v1/units/{unit_id}/move": lambda c: _at(
            "/v1/units/{unit_id}/move",
            {"unit_id": c.branch()},
            {"to_parent_id": "VL2", "valid_from": "2025-06-01"},
        ),
        "/v1/units/{unit_id}/merger": lambda c: _at(
            "/v1/units/{unit_id}/merger",
            {"unit_id": c.branch()},
            {"into_unit_id": c.branch(), "valid_from": "2025-06-01"},
        ),
        "/v1/members": lambda c: Target(
            "/v1/members",
            {
                "full_name": "Nguyễn Thị Hồng",
                "branch_id": BRANCH,
                "admission_date": "2010-05-19",
                "status": "full",
                "card_number": f"{6000000 + c.n()}",
                "birth_date": "1970-01-01",
            },
        ),
        "/v1/members/{member_id}/roles": lambda c: _at(
            "/v1/members/{member_id}/roles",
            {"member_id": c.member()},
            {"role": "deputy_secretary", "since": "2021-01-01"},
        ),
        "/v1/members/{member_id}/confirmation": lambda c: _at(
            "/v1/members/{member_id}/confirmation",
            {"member_id": c.member(status="probationary")},
            {"on": "2025-06-01"},
        ),
        "/v1/members/{member_id}/exemption": lambda c: _at(
            "/v1/members/{member_id}/exemption",
            {"member_id": c.member()},
            {"from_date": "2025-01-01", "to_date": "2025-12-31", "reason": "Tuổi cao, sức yếu"},
        ),
        "/v1/members/{member_id}/suspension": lambda c: _at(
            "/v1/members/{member_id}/suspension",
            {"member_id": c.member()},
            {"from_date": "2025-02-01", "to_date": "2025-08-01", "reason": "Đi làm ăn xa"},
        ),
        "/v1/members/{member_id}/departure": lambda c: _at(
            "/v1/members/{member_id}/departure",
            {"member_id": c.member()},
            {"on": "2025-06-30", "reason": "Xin ra khỏi Đảng"},
        ),
        "/v1/members/{member_id}/erasure": lambda c: _at(
            "/v1/members/{member_id}/erasure",
            {"member_id": c.departed_member()},
            {"basis": "entered_in_error"},
        ),
        "/v1/members/{member_id}/temporary-attendance": lambda c: _at(
            "/v1/members/{member_id}/temporary-attendance",
            {"member_id": c.member()},
            {"host_branch_id": OTHER_BRANCH, "from_date": "2025-03-01", "to_date": "2025-09-01"},
        ),
        "/v1/members/{member_id}/transfer": lambda c: _at(
            "/v1/members/{member_id}/transfer",
            {"member_id": c.member()},
            {"to_branch_id": OTHER_BRANCH, "on": "2025-07-01"},
        ),
        "/v1/branches/{branch_id}/households": lambda c: _at(
            "/v1/branches/{branch_id}/households",
            {"branch_id": BRANCH},
            {"households": [{"household_id": f"fz-h{c.n()}", "label": "Hộ ông Nguyễn Văn Tư"}]},
        ),
        "/v1/branches/{branch_id}/plans/{year}": lambda c: _at(
            "/v1/branches/{branch_id}/plans/{year}",
            {"branch_id": c.branch(), "year": str(YEAR)},
            {"min_households": 1, "max_households": 5},
        ),
        "/v1/units/{province_id}/household-range": lambda c: _at(
            "/v1/units/{province_id}/household-range",
            {"province_id": "LC"},
            {"min_households": 1, "max_households": 10, "valid_from": "2025-01-01"},
        ),
        "/v1/branches/{branch_id}/plans/{year}/assignments": lambda c: _at(
            "/v1/branches/{branch_id}/plans/{year}/assignments",
            {"branch_id": BRANCH, "year": str(YEAR)},
            {"assignments": [{"member_id": m0, "household_ids": ["h-00", "h-01"]}]},
        ),
        "/v1/branches/{branch_id}/plans/{year}/adoption": lambda c: _at(
            "/v1/branches/{branch_id}/plans/{year}/adoption",
            {"branch_id": c.drafted_plan(), "year": str(YEAR)},
            {"resolution_number": "12-NQ/CB", "adopted_on": "2025-01-15"},
        ),
        "/v1/branches/{branch_id}/duties": lambda c: _at(
            "/v1/branches/{branch_id}/duties",
            {"branch_id": BRANCH},
            _duties(c.n()),
        ),
        "/v1/branches/{branch_id}/plans/{year}/duties": lambda c: _at(
            "/v1/branches/{branch_id}/plans/{year}/duties",
            {"branch_id": BRANCH, "year": str(YEAR)},
            {"duties": [{"member_id": m0, "kind": "task", "target_id": "t-seed"}]},
        ),
        "/v1/branches/{branch_id}/plans/{year}/assignments/import": lambda c: _at(
            "/v1/branches/{branch_id}/plans/{year}/assignments/import",
            {"branch_id": BRANCH, "year": str(YEAR)},
            None,
            raw=PLAN_CSV.encode(),
            query={"filename": "phan-cong.csv"},
        ),
        "/v1/branches/{branch_id}/reports/{month}": lambda c: _at(
            "/v1/branches/{branch_id}/reports/{month}",
            {"branch_id": BRANCH, "month": MONTH},
            {
                "reports": [
                    {
                        "member_id": c.assigned_member(),
                        "situation": "Ổn định",
                        "submitted_on": "2025-03-27",
                    }
                ]
            },
        ),
        "/v1/branches/{branch_id}/reports/{month}/reviews": lambda c: _at(
            "/v1/branches/{branch_id}/reports/{month}/reviews",
            {"branch_id": BRANCH, "month": MONTH},
            {
                "reviewed_on": "2025-03-28",
                "reviews": [{"member_id": m0, "evaluation": "good", "comment": "Hoàn thành tốt"}],
            },
        ),
        "/v1/problems/{problem_id}/escalation": lambda c: _at(
            "/v1/problems/{problem_id}/escalation",
            {"problem_id": c.problem()},
            {"to_unit_id": "VL", "on": "2025-04-01", "note": "Đề nghị Đảng ủy xã hỗ trợ"},
        ),
        "/v1/problems/{problem_id}/resolution": lambda c: _at(
            "/v1/problems/{problem_id}/resolution",
            {"problem_id": c.problem()},
            {"on": "2025-04-10", "resolution": "Đã sửa xong đường"},
        ),
        "/v1/branches/{branch_id}/plans/{year}/mentors": lambda c: _at(
            "/v1/branches/{branch_id}/plans/{year}/mentors",
            {"branch_id": BRANCH, "year": str(YEAR)},
            {"mentor_id": m0, "member_ids": [c.member(status="probationary")]},
        ),
        "/v1/followers/{member_id}/years/{year}": lambda c: _at(
            "/v1/followers/{member_id}/years/{year}",
            {"member_id": s.other_members[0], "year": str(YEAR)},
            {"level": "commune", "unit_ids": [BRANCH]},
        ),
        "/v1/units/{province_id}/visit-quotas": lambda c: _at(
            "/v1/units/{province_id}/visit-quotas",
            {"province_id": "LC"},
            {"level": "commune", "meetings_per_year": 4, "valid_from": "2025-01-01"},
        ),
        "/v1/imports/members": lambda c: Target(
            "/v1/imports/members",
            None,
            raw=MEMBER_CSV.format(card=5000000 + c.n()).encode(),
            query={"filename": "dang-vien.csv"},
            template="/v1/imports/members",
        ),
    }


def _duties(n: int) -> dict[str, Any]:
    return {
        "groups": [{"group_id": f"g{n}", "name": "Nhóm hộ số 1", "household_ids": ["h-07"]}],
        "routes": [{"id": f"r{n}", "name": "Tuyến đường liên thôn"}],
        "tasks": [{"id": f"t{n}", "name": "Tuyên truyền pháp luật"}],
    }


def _attendance(c: Context) -> dict[str, Build]:
    s = c.seeds
    return {
        "/v1/branches/{branch_id}/meetings": lambda c: _at(
            "/v1/branches/{branch_id}/meetings",
            {"branch_id": BRANCH},
            {
                "kind": "thematic",
                "scheduled_for": f"2025-06-{1 + c.n() % 28:02}T19:30:00+07:00",
                "place": "Nhà văn hóa thôn",
                "topic": "Học tập chuyên đề",
            },
        ),
        "/v1/meetings/{meeting_id}/postponement": lambda c: _at(
            "/v1/meetings/{meeting_id}/postponement",
            {"meeting_id": c.meeting()},
            {"to_time": "2025-05-29T19:30:00+07:00", "reason": "Mưa lũ, đường sạt lở"},
        ),
        "/v1/meetings/{meeting_id}/cancellation": lambda c: _at(
            "/v1/meetings/{meeting_id}/cancellation",
            {"meeting_id": c.meeting()},
            {"reason": "Mưa lũ, đường sạt lở"},
        ),
        "/v1/meetings/{meeting_id}/held": lambda c: _at(
            "/v1/meetings/{meeting_id}/held",
            {"meeting_id": c.meeting()},
            held_body(s, "2025-05-01"),
        ),
        "/v1/meetings/{meeting_id}/attendance": lambda c: _at(
            "/v1/meetings/{meeting_id}/attendance",
            {"meeting_id": c.held_meeting(with_sheet=False)},
            {
                "marks": [{"member_id": m, "status": "present"} for m in s.members[:-1]]
                + [{"member_id": s.members[-1], "status": "absent_excused", "reason": "Ốm"}]
            },
        ),
        "/v1/meetings/{meeting_id}/attendance/corrections": lambda c: _at(
            "/v1/meetings/{meeting_id}/attendance/corrections",
            {"meeting_id": c.held_meeting(with_sheet=True)},
            {
                "marks": [{"member_id": s.members[1], "status": "absent_excused", "reason": "Ốm"}],
                "reason": "Nhập nhầm",
            },
        ),
        "/v1/meetings/{meeting_id}/guests": lambda c: _at(
            "/v1/meetings/{meeting_id}/guests",
            {"meeting_id": c.held_meeting(with_sheet=True)},
            {"guests": [{"member_id": s.other_members[0], "level": "commune"}]},
        ),
    }


RATING_YEARS = (2021, 2022, 2023, 2024, 2025)


def fill_rating_pools(c: Context, size: int) -> None:
    """Members, and branches of one member each, for every (target, year) a run may use;
    made before the run, so the rating service has projected them."""
    members = [c.member() for _ in range(max(1, size // len(RATING_YEARS)) + 1)]
    targets = [(m, y) for m in members for y in RATING_YEARS]
    for pool in (
        "self-assessment",
        "appraisal",
        "discipline",
        "conclusions",
        "leave",
        "comments",
        "removal-proposal",
        "removal-decision",
    ):
        c.pools[pool] = list(targets)
    branches = []
    for _ in range(max(1, (2 * size) // len(RATING_YEARS)) + 1):
        branch = c.branch()
        branches.append((branch, c.member(branch)))
    decided = [(b, m, y) for b, m in branches for y in RATING_YEARS]
    c.pools["decisions"] = decided[: len(decided) // 2]
    c.pools["cancellations"] = decided[len(decided) // 2 :]
    units = [(b, y) for b, _ in branches for y in RATING_YEARS]
    c.pools["unit-appraisal"] = list(units)
    c.pools["allowance"] = list(units)
    c.pools["cohort"] = list(units)


def _decide(c: Context, branch: str, member: str, year: int) -> None:
    body = {
        "decisions": [{"subject_id": member, "level": "good"}],
        "decided_on": f"{year + 1}-01-10",
    }
    c.ok("rating", "POST", f"/v1/units/{branch}/ratings/{year}/decisions", json=body)


def _rating(c: Context) -> dict[str, Build]:
    def member_target(pool: str, body: dict[str, Any]) -> Build:
        def build(c: Context) -> Target:
            member, year = c.take(pool)
            template = f"/v1/members/{{member_id}}/ratings/{{year}}/{pool}"
            return _at(template, {"member_id": member, "year": str(year)}, body)

        return build

    def decisions(c: Context) -> Target:
        branch, member, year = c.take("decisions")
        body = {
            "decisions": [{"subject_id": member, "level": "good"}],
            "decided_on": f"{year + 1}-01-10",
        }
        return _at(
            "/v1/units/{unit_id}/ratings/{year}/decisions",
            {"unit_id": branch, "year": str(year)},
            body,
        )

    def unit_target(pool: str, suffix: str, body: Callable[[int], dict[str, Any]]) -> Build:
        def build(c: Context) -> Target:
            branch, year = c.take(pool)
            template = f"/v1/units/{{unit_id}}/ratings/{{year}}/{suffix}"
            return _at(template, {"unit_id": branch, "year": str(year)}, body(year))

        return build

    def cancellations(c: Context) -> Target:
        branch, member, year = c.take("cancellations")
        _decide(c, branch, member, year)
        body = {
            "subject_id": member,
            "by_unit_id": "VL",
            "reason": "Quyết định chưa đúng quy trình",
            "cancelled_on": f"{year + 1}-02-01",
        }
        return _at(
            "/v1/units/{unit_id}/ratings/{year}/cancellations",
            {"unit_id": branch, "year": str(year)},
            body,
        )

    return {
        "/v1/members/{member_id}/ratings/{year}/self-assessment": member_target(
            "self-assessment",
            {
                "general_points": 27,
                "task_points": 60,
                "tasks_total": 4,
                "tasks_on_time": 4,
                "tasks_exceeded": 0,
                "shortcomings_fixed": True,
                "level": "good",
            },
        ),
        "/v1/members/{member_id}/ratings/{year}/appraisal": member_target(
            "appraisal", {"level": "good", "note": "Hoàn thành tốt nhiệm vụ"}
        ),
        "/v1/members/{member_id}/ratings/{year}/discipline": member_target(
            "discipline",
            {"measure": "reprimand", "decided_on": "2025-11-01", "reason": "Vi phạm quy chế"},
        ),
        "/v1/members/{member_id}/ratings/{year}/conclusions": member_target(
            "conclusions",
            {
                "kind": "example_duty",
                "concluded_on": "2025-10-02",
                "reason": "Vi phạm trách nhiệm nêu gương",
            },
        ),
        "/v1/members/{member_id}/ratings/{year}/leave": member_target(
            "leave", {"kind": "sick", "from_date": "2025-03-01", "to_date": "2025-06-30"}
        ),
        "/v1/members/{member_id}/ratings/{year}/comments": member_target(
            "comments",
            {
                "source": "residence",
                "from_unit": "Chi bộ khu dân cư số 3",
                "comment": "Giữ mối liên hệ tốt với nơi cư trú",
                "commented_on": "2025-11-20",
            },
        ),
        "/v1/members/{member_id}/ratings/{year}/removal-proposal": member_target(
            "removal-proposal", {"proposed_on": "2025-10-05"}
        ),
        "/v1/members/{member_id}/ratings/{year}/removal-decision": member_target(
            "removal-decision",
            {
                "removed": False,
                "decided_on": "2025-11-02",
                "reason": "Đã có lý do chính đáng",
            },
        ),
        "/v1/units/{unit_id}/ratings/{year}/cohort": unit_target(
            "cohort",
            "cohort",
            lambda year: {
                "cohort_id": "VL",
                "decided_on": f"{year + 1}-01-02",
            },
        ),
        "/v1/units/{unit_id}/ratings/{year}/decisions": decisions,
        "/v1/units/{unit_id}/ratings/{year}/cancellations": cancellations,
        "/v1/units/{unit_id}/ratings/{year}/appraisal": unit_target(
            "unit-appraisal",
            "appraisal",
            lambda year: {
                "points": 88 if year >= 2025 else None,
                "level": "good",
                "targets_total": 10,
                "targets_done": 10,
                "targets_exceeded": 2,
            },
        ),
        "/v1/units/{unit_id}/ratings/{year}/allowance": unit_target(
            "allowance",
            "allowance",
            lambda year: {
                "granted_on": f"{year + 1}-01-05",
                "reason": "Đơn vị có thành tích nổi trội",
            },
        ),
    }


def _at(
    template: str,
    params: dict[str, str],
    body: Any,
    *,
    raw: bytes | None = None,
    query: dict[str, str] | None = None,
) -> Target:
    path = template
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    return Target(path, body, raw, query or {}, params, template)


ROUTES: dict[str, Callable[[Context], dict[str, Build]]] = {
    "assignment": _assignment,
    "attendance": _attendance,
    "rating": _rating,
}


def prepare(service: str, c: Context, examples_per_route: int) -> None:
    """What every baseline of the service's routes needs besides the seeds."""
    if service == "assignment":
        body = {
            "unit_id": "VL2",
            "kind": "grassroots",
            "name": "Đảng bộ xã Dương Quỳ",
            "parent_id": "VB",
            "valid_from": "2020-01-01",
        }
        c.ok("assignment", "POST", "/v1/units", json=body)
        duties = _duties(0)
        duties["tasks"] = [{"id": "t-seed", "name": "Tuyên truyền"}]
        duties["groups"], duties["routes"] = [], []
        c.ok("assignment", "POST", f"/v1/branches/{BRANCH}/duties", json=duties)
    if service == "rating":
        fill_rating_pools(c, examples_per_route)
