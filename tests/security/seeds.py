"""A little real data, entered through the APIs as the province administrator, so that
valid-looking hostile requests get past validation and reach the domain rules: a province
tree with two branches, members in both, households and a plan, a month's reports with a
problem, meetings (one held, one scheduled), and a year the rating service has projected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .harness import System

BRANCH = "VL-TT"
OTHER_BRANCH = "VL-KC"
YEAR = 2025
MONTH = "2025-03"
UNITS = [
    ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
    ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
    ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
    (BRANCH, "branch", "Chi bộ thị tứ Võ Lao", "VL"),
    (OTHER_BRANCH, "branch", "Chi bộ thôn Khe Có", "VL"),
]
# Organisation paths (the token claim chibo_org) that hold none of the seeded places.
OUT_OF_SCOPE_ORGS = ("LC.VB.XX", "LC.VB.XX.XX-01", "HN")


@dataclass
class Seeds:
    members: list[str] = field(default_factory=list)  # in BRANCH; the first is secretary
    other_members: list[str] = field(default_factory=list)  # in OTHER_BRANCH
    households: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)  # held, then scheduled

    @property
    def units(self) -> list[str]:
        return [u[0] for u in UNITS]

    def path_values(self) -> dict[str, list[Any]]:
        """Real values for each path parameter name the services use."""
        units = self.units
        members = self.members + self.other_members
        return {
            "unit_id": units,
            "branch_id": [BRANCH, OTHER_BRANCH],
            "province_id": ["LC"],
            "member_id": members,
            "meeting_id": self.meetings,
            "problem_id": self.problems,
            "year": [YEAR, YEAR + 1],
            "month": [MONTH, f"{YEAR}-04"],
            "kind": ["member", "unit", "meeting"],
            "id": members + units,
        }


def seed_assignment(system: System) -> Seeds:
    seeds = Seeds()
    for unit_id, kind, name, parent in UNITS:
        body = {
            "unit_id": unit_id,
            "kind": kind,
            "name": name,
            "parent_id": parent,
            "valid_from": "2020-01-01",
        }
        system.ok("assignment", "POST", "/v1/units", json=body)
    for index in range(6):
        branch = BRANCH if index < 4 else OTHER_BRANCH
        body = {
            "full_name": f"Nguyễn Thị Hồng {index:02}",
            "branch_id": branch,
            "admission_date": "2010-05-19",
            "card_number": f"{8800000 + index}",
            "birth_date": "1970-01-01",
        }
        member = str(system.ok("assignment", "POST", "/v1/members", json=body)["member_id"])
        (seeds.members if branch == BRANCH else seeds.other_members).append(member)
    role = {"role": "secretary", "since": "2020-10-01"}
    system.ok("assignment", "POST", f"/v1/members/{seeds.members[0]}/roles", json=role)
    seeds.households = [f"h-{i:02}" for i in range(8)]
    households = [{"household_id": h, "label": f"Hộ {h}"} for h in seeds.households]
    system.ok(
        "assignment",
        "POST",
        f"/v1/branches/{BRANCH}/households",
        json={"households": households},
    )
    system.ok("assignment", "POST", f"/v1/branches/{BRANCH}/plans/{YEAR}", json={})
    assignments = [
        {"member_id": m, "household_ids": seeds.households[2 * i : 2 * i + 2]}
        for i, m in enumerate(seeds.members)
    ]
    system.ok(
        "assignment",
        "POST",
        f"/v1/branches/{BRANCH}/plans/{YEAR}/assignments",
        json={"assignments": assignments},
    )
    reports = [
        {
            "member_id": m,
            "situation": "ổn định",
            "submitted_on": f"{MONTH}-27",
            "problems": ["Đường vào thôn bị sạt lở"] if i == 1 else [],
        }
        for i, m in enumerate(seeds.members)
    ]
    system.ok(
        "assignment", "POST", f"/v1/branches/{BRANCH}/reports/{MONTH}", json={"reports": reports}
    )
    month = system.ok("assignment", "GET", f"/v1/branches/{BRANCH}/reports/{MONTH}")
    seeds.problems = [p["problem_id"] for p in month["open_problems"]]
    return seeds


def roster_size(system: System, day: str) -> int:
    body = system.ok("attendance", "GET", f"/v1/branches/{BRANCH}/roster", params={"on": day})
    return len(body["members"])


def seed_attendance(system: System, seeds: Seeds) -> None:
    system.eventually(
        lambda: roster_size(system, f"{MONTH}-05") == len(seeds.members),
        timeout=60,
        what="the roster consumer to project the seeded members",
    )
    held_day, scheduled_day = f"{MONTH}-05", f"{YEAR}-04-05"
    for day in (held_day, scheduled_day):
        body = {"kind": "regular", "scheduled_for": f"{day}T19:30:00+07:00", "place": "Nhà văn hóa"}
        found = system.ok("attendance", "POST", f"/v1/branches/{BRANCH}/meetings", json=body)
        seeds.meetings.append(str(found["meeting_id"]))
    held = {
        "started_at": f"{held_day}T19:30:00+07:00",
        "ended_at": f"{held_day}T21:05:00+07:00",
        "place": "Nhà văn hóa",
        "chair_id": seeds.members[0],
        "minutes_recorded": True,
        "prepared_by_committee": True,
        "attendance": [{"member_id": m, "status": "present"} for m in seeds.members],
    }
    system.ok("attendance", "POST", f"/v1/meetings/{seeds.meetings[0]}/held", json=held)


def rating_caught_up(system: System) -> bool:
    for source in ("assignment", "attendance"):
        if source in system.services and not system.published_everything(source):
            return False
    status = system.ok("rating", "GET", "/v1/admin/read-models")
    pending = status["pending"]
    return bool(pending) and all(p == 0 for p in pending.values())


def seed_rating(system: System, seeds: Seeds) -> None:
    system.eventually(
        lambda: rating_caught_up(system), timeout=90, what="rating to project the seeded year"
    )
    own = {
        "general_points": 27,
        "task_points": 60,
        "tasks_total": 4,
        "tasks_on_time": 4,
        "tasks_exceeded": 0,
        "level": "good",
    }
    member = seeds.members[1]
    system.ok("rating", "POST", f"/v1/members/{member}/ratings/{YEAR}/self-assessment", json=own)


def seed(system: System) -> Seeds:
    seeds = seed_assignment(system)
    if "attendance" in system.services:
        seed_attendance(system, seeds)
    if "rating" in system.services:
        seed_rating(system, seeds)
    return seeds
