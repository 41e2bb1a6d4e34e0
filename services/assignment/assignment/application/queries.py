"""Queries answer from the service's own read models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.errors import NotFound
from chibo_kernel.pool import LeanPool

from ..domain.area import BranchArea
from ..domain.member import COMMITTEE_ROLES
from ..domain.plan import Plan, plan_id
from ..domain.plan_coverage import Coverage, RosterEntry
from ..domain.reports import month_start

_ROSTER = """
SELECT member_id, roles,
       (exempt_from IS NOT NULL AND exempt_from <= $2
        AND (exempt_to IS NULL OR exempt_to >= $2))
    OR (suspended_from IS NOT NULL AND suspended_from <= $2
        AND (suspended_to IS NULL OR suspended_to >= $2)) AS excluded,
       coalesce(temporary_from <= $2 AND temporary_to >= $2, false) AS away
  FROM members WHERE branch_id = $1 AND (left_on IS NULL OR left_on > $2)
"""


@dataclass(frozen=True)
class PlanCoverage:
    coverage: Coverage
    released: list[dict[str, str]]
    released_duties: list[dict[str, str]]


async def plan_coverage(pool: LeanPool, branch_id: str, year: int, on: date) -> PlanCoverage:
    pid = plan_id(branch_id, year)
    if await pool.fetchval("SELECT 1 FROM plans WHERE plan_id = $1", pid) is None:
        raise NotFound(f"plan {pid}", f"kế hoạch {pid}")
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
    return PlanCoverage(plan.coverage(roster, area), released, released_duties)


# One report a month is expected for each assignment held: households, and each duty.
_MONTH_REPORTS = """
SELECT a.member_id, a.assignment, r.submitted_on, r.late, r.entered_by, r.evaluation
  FROM (SELECT DISTINCT member_id, 'households' AS assignment
          FROM plan_assignments WHERE plan_id = $1
        UNION
        SELECT member_id, kind || ':' || target_id FROM plan_duties WHERE plan_id = $1) a
  LEFT JOIN reports r ON r.branch_id = $2 AND r.month = $3 AND r.member_id = a.member_id
                     AND r.assignment = a.assignment
 ORDER BY a.member_id, a.assignment
"""
_OPEN_PROBLEMS = """
SELECT problem_id, member_id, month, description, status, raised_on, escalated_to
  FROM problems WHERE branch_id = $1 AND status <> 'resolved' ORDER BY raised_on, problem_id
"""


async def month_reports(
    pool: LeanPool, branch_id: str, month: str
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Every member holding households this month: reported on time, late, or missing;
    and the branch's problems still open or escalated."""
    pid = plan_id(branch_id, month_start(month).year)
    rows = await pool.fetch(_MONTH_REPORTS, pid, branch_id, month)
    reports = [
        {
            "member_id": r["member_id"],
            "assignment": r["assignment"],
            "state": _state(r["submitted_on"], r["late"]),
            "submitted_on": r["submitted_on"],
            "entered_by": r["entered_by"],
            "evaluation": r["evaluation"],
        }
        for r in rows
    ]
    problems = [dict(r) for r in await pool.fetch(_OPEN_PROBLEMS, branch_id)]
    return reports, problems


def _state(submitted_on: date | None, late: bool | None) -> str:
    if submitted_on is None:
        return "missing"
    return "late" if late else "on_time"


async def mentoring(pool: LeanPool, branch_id: str, year: int) -> dict[str, object]:
    """Who guides whom, and the probationary members nobody guides yet."""
    pid = plan_id(branch_id, year)
    rows = await pool.fetch(
        "SELECT mentor_id, array_agg(member_id ORDER BY member_id) AS member_ids"
        " FROM plan_mentors WHERE plan_id = $1 GROUP BY mentor_id ORDER BY mentor_id",
        pid,
    )
    unguided = await pool.fetch(
        "SELECT member_id FROM members m WHERE branch_id = $1 AND status = 'probationary'"
        " AND left_on IS NULL AND NOT EXISTS (SELECT 1 FROM plan_mentors p"
        " WHERE p.plan_id = $2 AND p.member_id = m.member_id) ORDER BY member_id",
        branch_id,
        pid,
    )
    return {
        "mentors": [dict(r) for r in rows],
        "probationary_without_mentor": [r["member_id"] for r in unguided],
    }


async def visit_quotas(pool: LeanPool, province_id: str, on: date) -> list[dict[str, object]]:
    """The quota in force on a day, per level: the latest period started by then."""
    rows = await pool.fetch(
        "SELECT DISTINCT ON (level) level, meetings_per_year, valid_from FROM visit_quotas"
        " WHERE province_id = $1 AND valid_from <= $2 ORDER BY level, valid_from DESC",
        province_id,
        on,
    )
    return [dict(r) for r in rows]
