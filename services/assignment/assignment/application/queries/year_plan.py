"""A branch's plan for a year as the branch reads it: whether it is drafted or adopted, its
household range, and what each member holds (households with their labels, groups, routes,
tasks), every serving member listed in Vietnamese name order, those holding nothing too.

No plan yet: status `none`, no range (the province's policy gives it when it is drafted)
and no assignments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chibo_kernel.domain import Message

from ...domain.plan import plan_id
from ...domain.vietnamese_order import name_order
from .reads import Reads

_PLAN = """
SELECT min_households, max_households, resolution_number, adopted_on
  FROM plans WHERE plan_id = $1
"""
# Serving members, and anyone else still holding something in the plan.
_MEMBERS = """
SELECT member_id, full_name FROM members
 WHERE (branch_id = $1 AND left_on IS NULL)
    OR member_id IN (SELECT member_id FROM plan_assignments WHERE plan_id = $2
                     UNION SELECT member_id FROM plan_duties WHERE plan_id = $2)
"""
_HOUSEHOLDS = """
SELECT a.member_id, a.household_id, h.label
  FROM plan_assignments a
  LEFT JOIN households h ON h.branch_id = $1 AND h.household_id = a.household_id
 WHERE a.plan_id = $2 ORDER BY a.household_id
"""
_DUTIES = """
SELECT p.member_id, p.kind, p.target_id, d.name
  FROM plan_duties p
  LEFT JOIN duties d ON d.branch_id = $1 AND d.kind = p.kind AND d.target_id = p.target_id
 WHERE p.plan_id = $2 ORDER BY p.kind, p.target_id
"""
_LISTS = {"group": "groups", "route": "routes", "task": "tasks"}


@dataclass(frozen=True)
class YearPlan(Message[dict[str, Any]]):
    branch_id: str
    year: int


async def handle(query: YearPlan, reads: Reads) -> dict[str, Any]:
    pool = reads.pool()
    branch_id, pid = query.branch_id, plan_id(query.branch_id, query.year)
    answer: dict[str, Any] = {
        "branch_id": branch_id,
        "year": query.year,
        "status": "none",
        "household_range": None,
        "assignments": [],
        "adoption": None,
    }
    plan = await pool.fetchrow(_PLAN, pid)
    if plan is None:
        return answer
    assignments = {
        r["member_id"]: {
            "member_id": r["member_id"],
            "full_name": r["full_name"],
            "households": [],
            "groups": [],
            "routes": [],
            "tasks": [],
        }
        for r in await pool.fetch(_MEMBERS, branch_id, pid)
    }
    for r in await pool.fetch(_HOUSEHOLDS, branch_id, pid):
        held = {"household_id": r["household_id"], "label": r["label"]}
        assignments[r["member_id"]]["households"].append(held)
    for r in await pool.fetch(_DUTIES, branch_id, pid):
        duty = {f"{r['kind']}_id": r["target_id"], "name": r["name"]}
        assignments[r["member_id"]][_LISTS[r["kind"]]].append(duty)
    adopted = plan["adopted_on"] is not None
    answer |= {
        "status": "adopted" if adopted else "draft",
        "household_range": {"min": plan["min_households"], "max": plan["max_households"]},
        "assignments": sorted(assignments.values(), key=lambda a: name_order(a["full_name"])),
        "adoption": {"resolution": plan["resolution_number"], "date": plan["adopted_on"]}
        if adopted
        else None,
    }
    return answer
