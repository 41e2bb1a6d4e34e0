"""A branch's area in a year: its households with how the branch calls them and who holds
each in that year's plan, and its household groups, routes and tasks with their holders.

A household in a group is held by whoever holds the group, as coverage counts it, unless a
member holds it directly. A task may be shared, so it has `holders`; a group or a route has
one responsible member, its `holder`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chibo_kernel.clock import vietnam_today
from chibo_kernel.domain import Message

from ...domain.plan import plan_id
from ...domain.vietnamese_order import name_order
from .reads import Reads

_HOUSEHOLDS = """
SELECT h.household_id, h.label, a.member_id, m.full_name
  FROM households h
  LEFT JOIN plan_assignments a ON a.plan_id = $2 AND a.household_id = h.household_id
  LEFT JOIN members m ON m.member_id = a.member_id
 WHERE h.branch_id = $1 ORDER BY h.household_id
"""
_DUTIES = """
SELECT d.kind, d.target_id, d.name, d.household_ids, p.member_id, m.full_name
  FROM duties d
  LEFT JOIN plan_duties p ON p.plan_id = $2 AND p.kind = d.kind AND p.target_id = d.target_id
  LEFT JOIN members m ON m.member_id = p.member_id
 WHERE d.branch_id = $1 ORDER BY d.kind, d.target_id
"""

Holder = dict[str, str]


@dataclass(frozen=True)
class BranchHouseholds(Message[dict[str, Any]]):
    """In `year`'s plan; by default this year's."""

    branch_id: str
    year: int | None = None


async def handle(query: BranchHouseholds, reads: Reads) -> dict[str, Any]:
    pool = reads.pool()
    year = query.year or vietnam_today().year
    pid = plan_id(query.branch_id, year)
    duties: dict[str, dict[str, tuple[Any, list[Holder]]]] = {"group": {}, "route": {}, "task": {}}
    for r in await pool.fetch(_DUTIES, query.branch_id, pid):
        _, holders = duties[r["kind"]].setdefault(r["target_id"], (r, []))
        if r["member_id"] is not None:
            holders.append(_holder(r))
    groups = [
        {
            "group_id": group_id,
            "name": r["name"],
            "household_ids": list(r["household_ids"] or []),
            "holder": holders[0] if holders else None,
        }
        for group_id, (r, holders) in duties["group"].items()
    ]
    group_of = {h: group for group in groups for h in group["household_ids"]}
    households = []
    for r in await pool.fetch(_HOUSEHOLDS, query.branch_id, pid):
        group = group_of.get(r["household_id"])
        households.append(
            {
                "household_id": r["household_id"],
                "label": r["label"],
                "group_id": group["group_id"] if group else None,
                "holder": _holder(r) if r["member_id"] else group and group["holder"],
            }
        )
    return {
        "branch_id": query.branch_id,
        "year": year,
        "households": households,
        "groups": groups,
        "routes": [
            {"route_id": route_id, "name": r["name"], "holder": holders[0] if holders else None}
            for route_id, (r, holders) in duties["route"].items()
        ],
        "tasks": [
            {"task_id": task_id, "name": r["name"], "holders": sorted(holders, key=_by_name)}
            for task_id, (r, holders) in duties["task"].items()
        ],
    }


def _holder(row: Any) -> Holder:
    return {"member_id": row["member_id"], "full_name": row["full_name"]}


def _by_name(holder: Holder) -> Any:
    return name_order(holder["full_name"] or "")
