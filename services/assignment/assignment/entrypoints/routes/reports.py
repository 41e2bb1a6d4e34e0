"""Routes for monthly reports and problems: decode, run through the boundary, encode."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, reads_personal_data
from chibo_kernel.clock import VIETNAM

from ...application import queries as q
from ...domain import commands as c
from .. import report_schemas as s
from .params import Month, ProblemId, UnitPath, accepted


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.post(
        "/branches/{branch_id}/reports/{month}",
        status_code=201,
        dependencies=checked(c.SubmitReports),
    )
    async def submit_reports(
        branch_id: UnitPath, month: Month, body: s.SubmitReports
    ) -> s.Accepted:
        """A whole branch's reports for a month, as one command and one transaction. A
        member signed in as such may submit only their own."""
        entries = tuple(
            c.ReportEntry(
                r.member_id,
                r.situation,
                r.submitted_on,
                r.entered_by,
                tuple(r.problems),
                r.assignment,
            )
            for r in body.reports
        )
        today = datetime.now(VIETNAM).date()  # Vietnam's day, as the secretary dates reports
        return accepted(await bus.run(c.SubmitReports(branch_id, month, entries, today)))

    @api.post(
        "/branches/{branch_id}/reports/{month}/reviews",
        status_code=201,
        dependencies=checked(c.ReviewReports),
    )
    async def review_reports(
        branch_id: UnitPath, month: Month, body: s.ReviewReports
    ) -> s.Accepted:
        reviews = tuple(
            c.ReviewEntry(r.member_id, r.evaluation, r.comment, r.assignment) for r in body.reviews
        )
        command = c.ReviewReports(branch_id, month, reviews, body.reviewed_on)
        return accepted(await bus.run(command))

    @api.get("/branches/{branch_id}/reports/{month}", dependencies=checked(q.MonthReports))
    @reads_personal_data("monthly_meeting")
    async def reports_of_month(branch_id: UnitPath, month: Month) -> s.MonthView:
        reports, problems = await bus.run(q.MonthReports(branch_id, month))
        rows = [s.MemberReport.model_validate(r) for r in reports]
        missing = [f"{r.member_id} {r.assignment}" for r in rows if r.state == "missing"]
        return s.MonthView(
            month=month,
            reported=f"{len(rows) - len(missing)}/{len(rows)}",
            late=sum(1 for r in rows if r.state == "late"),
            missing=missing,
            reports=rows,
            open_problems=[s.OpenProblem.model_validate(p) for p in problems],
        )

    @api.post(
        "/problems/{problem_id}/escalation",
        status_code=201,
        dependencies=checked(c.EscalateProblem),
    )
    async def escalate(problem_id: ProblemId, body: s.Escalate) -> s.Accepted:
        return accepted(await bus.run(c.EscalateProblem(problem_id, **body.model_dump())))

    @api.post(
        "/problems/{problem_id}/resolution",
        status_code=201,
        dependencies=checked(c.ResolveProblem),
    )
    async def resolve(problem_id: ProblemId, body: s.Resolve) -> s.Accepted:
        return accepted(await bus.run(c.ResolveProblem(problem_id, **body.model_dump())))
