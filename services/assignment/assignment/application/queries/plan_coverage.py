"""A plan's coverage on a day: "37/37" members, "207/207" households, who and what is
uncovered, and the to-do list of what was released."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message
from chibo_kernel.errors import NotFound

from ...domain.area import BranchArea
from ...domain.member import COMMITTEE_ROLES
from ...domain.plan import Plan, plan_id
from ...domain.plan_coverage import Coverage, RosterEntry
from .reads import Reads

_ROSTER = """
SELECT member_id, roles,
       (exempt_from IS NOT NULL AND exempt_from <= $2
        AND (exempt_to IS NULL OR exempt_to >= $2))
    OR (suspended_from IS NOT NULL AND suspended_from <= $2
        AND (suspended_to IS NULL OR suspended_to >= $2)) AS excluded,
       coalesce(temporary_from <= $2 AND temporary_to >= $2, false) AS away
  FROM members WHERE branch_id = $1 AND (left_on IS NULL OR left_on > $2)
"""

_NAME = "SELECT name FROM org_units WHERE unit_id = $1"


@dataclass(frozen=True)
class CoverageReport:
    coverage: Coverage
    released: list[dict[str, str]]
    released_duties: list[dict[str, str]]


@dataclass(frozen=True)
class PlanCoverage(Message[CoverageReport]):
    """On `on`; by default the plan year's last day."""

    branch_id: str
    year: int
    on: date | None = None


async def handle(query: PlanCoverage, reads: Reads) -> CoverageReport:
    pool = reads.pool()
    branch_id, on = query.branch_id, query.on or date(query.year, 12, 31)
    pid = plan_id(branch_id, query.year)
    if await pool.fetchval("SELECT 1 FROM plans WHERE plan_id = $1", pid) is None:
        name = await pool.fetchval(_NAME, branch_id) or branch_id
        raise NotFound(f"{name}'s plan for {query.year}", f"kế hoạch năm {query.year} của {name}")
    roster = [
        RosterEntry(
            r["member_id"],
            r["excluded"],
            bool(set(r["roles"]) & COMMITTEE_ROLES),
            away=r["away"],
        )
        for r in await pool.fetch(_ROSTER, branch_id, on)
    ]
    plan, area = Plan(pid), BranchArea(branch_id)
    for r in await pool.fetch(
        "SELECT household_id, member_id FROM plan_assignments WHERE plan_id = $1", pid
    ):
        plan.holder[r["household_id"]] = r["member_id"]
    for r in await pool.fetch(
        "SELECT household_id, label FROM households WHERE branch_id = $1", branch_id
    ):
        area.households[r["household_id"]] = r["label"]
    for r in await pool.fetch(
        "SELECT kind, target_id, name, household_ids FROM duties WHERE branch_id = $1", branch_id
    ):
        if r["kind"] == "group":
            area.groups[r["target_id"]] = list(r["household_ids"])
        else:
            (area.routes if r["kind"] == "route" else area.tasks)[r["target_id"]] = r["name"]
    for r in await pool.fetch(
        "SELECT kind, target_id, member_id FROM plan_duties WHERE plan_id = $1", pid
    ):
        plan.duty_holders.setdefault(f"{r['kind']}:{r['target_id']}", set()).add(r["member_id"])
    released = [
        dict(r)
        for r in await pool.fetch(
            "SELECT household_id, member_id, reason FROM released_households"
            " WHERE plan_id = $1 ORDER BY household_id",
            pid,
        )
    ]
    released_duties = [
        dict(r)
        for r in await pool.fetch(
            "SELECT duty, member_id, reason FROM released_duties WHERE plan_id = $1 ORDER BY duty",
            pid,
        )
    ]
    return CoverageReport(plan.coverage(roster, area), released, released_duties)
