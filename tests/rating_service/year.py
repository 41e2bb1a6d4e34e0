"""A branch's year entered through the assignment and attendance APIs, as a secretary would:
households and the plan, each month's reports and their review, each month's meeting with
its sheet. Deviations (absences, late reports) are given per member index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assignment_service.conftest import Service
from attendance_service.branch import BRANCH, create_units, held_body, ok, register, schedule
from attendance_service.conftest import Attendance

if TYPE_CHECKING:
    from .conftest import Trio


@dataclass
class Deviations:
    absent: Mapping[tuple[int, int], str] = field(default_factory=dict)  # (member, month) → status
    late: set[tuple[int, int]] = field(default_factory=set)  # (member, month)


async def register_members(assignment: Service, count: int, first: int = 0) -> list[str]:
    members = [await register(assignment, first + i) for i in range(count)]
    role = {"role": "secretary", "since": "2020-10-01"}
    await ok(assignment, "POST", f"/v1/members/{members[0]}/roles", json=role)
    return members


async def plan_year(assignment: Service, members: list[str], year: int) -> None:
    households = [
        {"household_id": f"h{year}-{i:03}", "label": f"Hộ {i}"} for i in range(5 * len(members))
    ]
    await ok(
        assignment, "POST", f"/v1/branches/{BRANCH}/households", json={"households": households}
    )
    await ok(assignment, "POST", f"/v1/branches/{BRANCH}/plans/{year}", json={})
    assignments = [
        {
            "member_id": m,
            "household_ids": [h["household_id"] for h in households[5 * i : 5 * i + 5]],
        }
        for i, m in enumerate(members)
    ]
    url = f"/v1/branches/{BRANCH}/plans/{year}/assignments"
    await ok(assignment, "POST", url, json={"assignments": assignments})


async def enter_year(
    assignment: Service,
    attendance: Attendance,
    members: list[str],
    year: int,
    deviations: Deviations | None = None,
) -> dict[int, str]:
    """Reports, reviews and meetings of every month; returns month → meeting id."""
    d = deviations or Deviations()
    await attendance.roster_has(BRANCH, f"{year}-01-05", len(members))
    meetings: dict[int, str] = {}
    for month in range(1, 13):
        key = f"{year}-{month:02}"
        reports = [_report(m, year, month, (i, month) in d.late) for i, m in enumerate(members)]
        await ok(
            assignment, "POST", f"/v1/branches/{BRANCH}/reports/{key}", json={"reports": reports}
        )
        reviews = [
            {"member_id": m, "evaluation": "good", "comment": "hoàn thành tốt"} for m in members
        ]
        body = {"reviewed_on": f"{key}-28", "reviews": reviews}
        await ok(assignment, "POST", f"/v1/branches/{BRANCH}/reports/{key}/reviews", json=body)
        day = f"{key}-05"
        meeting = await schedule(attendance, day)
        marks = [_mark(m, d.absent.get((i, month))) for i, m in enumerate(members)]
        held = held_body(day, members[0], attendance=marks)
        await attendance.ok("POST", f"/v1/meetings/{meeting}/held", json=held)
        meetings[month] = meeting
    return meetings


def _report(member: str, year: int, month: int, late: bool) -> dict[str, Any]:
    # On time: within the month. Late: well into the next one.
    on = f"{year + month // 12}-{month % 12 + 1:02}-25" if late else f"{year}-{month:02}-27"
    return {"member_id": member, "situation": "ổn định", "submitted_on": on}


def _mark(member: str, status: str | None) -> dict[str, Any]:
    if status is None:
        return {"member_id": member, "status": "present"}
    reason = "ốm" if status == "absent_excused" else None
    return {"member_id": member, "status": status, "reason": reason}


ABSENT = {(1, 2): "absent_unexcused", (2, 6): "absent_excused", (3, 7): "absent_unexcused"}


async def a_year(trio: Trio, members: int) -> list[str]:
    """A branch of `members` members through 2025, with three absences; their ids."""
    await create_units(trio.assignment)
    ids = await register_members(trio.assignment, members)
    await plan_year(trio.assignment, ids, 2025)
    await enter_year(trio.assignment, trio.attendance, ids, 2025, Deviations(absent=ABSENT))
    return ids
