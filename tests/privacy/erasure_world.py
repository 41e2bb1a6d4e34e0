"""A branch's year (2020) entered through the three services' APIs, as the province
administrator, with one member whose data is then erased: their households, twelve monthly
reports with what they saw, a problem they raised, the meeting's comment on each report,
twelve meetings with one excused absence and its reason, their self-assessment, the
committee's appraisal note, a discipline with its reason and the decided level; then their
departure, early in 2021 (so the record closed more than five years ago)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from security.harness import System
from security.seeds import rating_caught_up

from privacy.probe import Needle

YEAR = 2020
BRANCH = "VL-TT"
UNITS = [
    ("LC", "province", "Đảng bộ tỉnh Lào Cai", None),
    ("VB", "district", "Đảng bộ huyện Văn Bàn", "LC"),
    ("VL", "grassroots", "Đảng bộ xã Võ Lao", "VB"),
    (BRANCH, "branch", "Chi bộ thị tứ Võ Lao", "VL"),
]
MONTHS = [f"{YEAR}-{m:02}" for m in range(1, 13)]
LEFT_ON = "2021-01-15"


@dataclass(frozen=True)
class Person:
    name: str
    card: str
    born: date

    def needles(self) -> list[Needle]:
        return [
            Needle("name", self.name),
            Needle("card number", self.card),
            Needle("birth date (ISO)", self.born.isoformat()),
            Needle("birth date (dd/mm/yyyy)", self.born.strftime("%d/%m/%Y")),
        ]


SUBJECT = Person("Thào Thị Xuân Quỳnh", "9417305528", date(1958, 11, 23))
OTHERS = [
    Person("Lò Văn Khánh", "9417305531", date(1961, 4, 2)),
    Person("Vàng Thị Ngọc Hân", "9417305532", date(1972, 9, 14)),
    Person("Giàng A Thông", "9417305533", date(1980, 1, 30)),
]
PROBLEM = "Đường vào bản Nậm Xé sạt lở sau trận mưa lũ tháng ba"
ABSENCE = "Đi viện điều trị sỏi thận ở bệnh viện Sa Pa"
APPRAISAL_NOTE = "Gương mẫu, nhiệt tình với việc chung của bản Nậm Xé"
DISCIPLINE = "Vi phạm quy định về sinh hoạt nơi cư trú trong năm"
LEAVING = "Chuyển về sống cùng con gái ở phường Cầu Giấy, Hà Nội"


def situation(month: str) -> str:
    return f"Tháng {month}: hộ ông Sùng Seo Chứ sửa xong mái nhà, con trai đi làm xa ở Bình Dương"


def review(month: str) -> str:
    return f"Nhận xét tháng {month}: đồng chí theo dõi sát hộ, báo cáo kịp thời và đầy đủ"


def free_texts() -> list[Needle]:
    """Every text the member wrote or was written about them."""
    texts = [situation(m) for m in MONTHS] + [review(m) for m in MONTHS]
    texts += [PROBLEM, ABSENCE, APPRAISAL_NOTE, DISCIPLINE, LEAVING]
    return [Needle("free text", text) for text in texts]


@dataclass
class World:
    subject: str = ""
    others: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def seed_year(system: System) -> World:
    world = World()
    for unit_id, kind, name, parent in UNITS:
        body = {"unit_id": unit_id, "kind": kind, "name": name, "parent_id": parent}
        system.ok("assignment", "POST", "/v1/units", json={**body, "valid_from": "2000-01-01"})
    members = []
    for person in [SUBJECT, *OTHERS]:
        body = {
            "full_name": person.name,
            "branch_id": BRANCH,
            "admission_date": "2010-05-19",
            "card_number": person.card,
            "birth_date": person.born.isoformat(),
        }
        members.append(str(system.ok("assignment", "POST", "/v1/members", json=body)["member_id"]))
    world.subject, world.others = members[0], members[1:]
    role = {"role": "secretary", "since": "2015-01-01"}
    system.ok("assignment", "POST", f"/v1/members/{world.others[0]}/roles", json=role)
    _assign(system, world)
    _report(system, world)
    _meet(system, world)
    _rate(system, world)
    departure = {"on": LEFT_ON, "reason": LEAVING}
    system.ok("assignment", "POST", f"/v1/members/{world.subject}/departure", json=departure)
    system.eventually(lambda: rating_caught_up(system), timeout=120, what="rating to catch up")
    return world


def _assign(system: System, world: World) -> None:
    households = [{"household_id": f"h-{i:02}", "label": f"Hộ số {i:02}"} for i in range(8)]
    path = f"/v1/branches/{BRANCH}"
    system.ok("assignment", "POST", f"{path}/households", json={"households": households})
    system.ok("assignment", "POST", f"{path}/plans/{YEAR}", json={})
    members = [world.subject, *world.others]
    assignments = [
        {"member_id": m, "household_ids": [f"h-{2 * i:02}", f"h-{2 * i + 1:02}"]}
        for i, m in enumerate(members)
    ]
    body = {"assignments": assignments}
    system.ok("assignment", "POST", f"{path}/plans/{YEAR}/assignments", json=body)


def _report(system: System, world: World) -> None:
    for month in MONTHS:
        reports = [
            {
                "member_id": member,
                "situation": situation(month) if member == world.subject else "Ổn định",
                "submitted_on": f"{month}-25",
                "problems": [PROBLEM] if member == world.subject and month.endswith("03") else [],
            }
            for member in [world.subject, *world.others]
        ]
        path = f"/v1/branches/{BRANCH}/reports/{month}"
        system.ok("assignment", "POST", path, json={"reports": reports})
        one = {"member_id": world.subject, "evaluation": "good", "comment": review(month)}
        body = {"reviewed_on": f"{month}-28", "reviews": [one]}
        system.ok("assignment", "POST", f"{path}/reviews", json=body)
    view = system.ok("assignment", "GET", f"/v1/branches/{BRANCH}/reports/{MONTHS[2]}")
    world.problems = [p["problem_id"] for p in view["open_problems"]]


def _roster_size(system: System) -> int:
    params = {"on": f"{YEAR}-01-05"}
    roster = system.ok("attendance", "GET", f"/v1/branches/{BRANCH}/roster", params=params)
    return len(roster["members"])


def _meet(system: System, world: World) -> None:
    system.eventually(lambda: _roster_size(system) == 4, timeout=60, what="the roster")
    for month in MONTHS:
        day = f"{month}-05"
        body = {"kind": "regular", "scheduled_for": f"{day}T19:30:00+07:00", "place": "Nhà văn hóa"}
        found = system.ok("attendance", "POST", f"/v1/branches/{BRANCH}/meetings", json=body)
        meeting = str(found["meeting_id"])
        world.meetings.append(meeting)
        marks: list[dict[str, str]] = [{"member_id": m, "status": "present"} for m in world.others]
        if month.endswith("06"):
            excused = {"status": "absent_excused", "reason": ABSENCE}
            marks.append({"member_id": world.subject, **excused})
        else:
            marks.append({"member_id": world.subject, "status": "present"})
        held = {
            "started_at": f"{day}T19:30:00+07:00",
            "ended_at": f"{day}T21:15:00+07:00",
            "place": "Nhà văn hóa",
            "chair_id": world.others[0],
            "minutes_recorded": True,
            "prepared_by_committee": True,
            "attendance": marks,
        }
        system.ok("attendance", "POST", f"/v1/meetings/{meeting}/held", json=held)


def _rate(system: System, world: World) -> None:
    system.eventually(lambda: rating_caught_up(system), timeout=120, what="rating to catch up")
    ratings = f"/v1/members/{world.subject}/ratings/{YEAR}"
    own = {
        "general_points": 27,
        "task_points": 62,
        "tasks_total": 12,
        "tasks_on_time": 12,
        "tasks_exceeded": 0,
        "level": "good",
    }
    system.ok("rating", "POST", f"{ratings}/self-assessment", json=own)
    appraisal = {"level": "good", "note": APPRAISAL_NOTE}
    system.ok("rating", "POST", f"{ratings}/appraisal", json=appraisal)
    discipline = {"measure": "reprimand", "decided_on": f"{YEAR}-11-20", "reason": DISCIPLINE}
    system.ok("rating", "POST", f"{ratings}/discipline", json=discipline)
    proposals = system.ok("rating", "GET", f"/v1/units/{BRANCH}/proposals/{YEAR}")
    (mine,) = [p for p in proposals["proposals"] if p["subject_id"] == world.subject]
    decision = {
        "decisions": [{"subject_id": world.subject, "level": mine["level"]}],
        "decided_on": f"{YEAR}-12-20",
    }
    system.ok("rating", "POST", f"/v1/units/{BRANCH}/ratings/{YEAR}/decisions", json=decision)
