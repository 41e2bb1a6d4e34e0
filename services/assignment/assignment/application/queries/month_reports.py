"""A branch's month: every member holding an assignment reported on time, late, or not at
all; and the branch's problems still open or escalated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message

from ...domain.plan import plan_id
from ...domain.reports import month_start
from .reads import Reads

Rows = list[dict[str, object]]

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


@dataclass(frozen=True)
class MonthReports(Message[tuple[Rows, Rows]]):
    """Answers (the reports expected, the open problems)."""

    branch_id: str
    month: str


async def handle(query: MonthReports, reads: Reads) -> tuple[Rows, Rows]:
    pool = reads.pool()
    branch_id, month = query.branch_id, query.month
    pid = plan_id(branch_id, month_start(month).year)
    rows = await pool.fetch(_MONTH_REPORTS, pid, branch_id, month)
    reports: Rows = [
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
    problems: Rows = [dict(r) for r in await pool.fetch(_OPEN_PROBLEMS, branch_id)]
    return reports, problems


def _state(submitted_on: date | None, late: bool | None) -> str:
    if submitted_on is None:
        return "missing"
    return "late" if late else "on_time"
