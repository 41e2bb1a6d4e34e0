"""Routes for monthly reports and problems."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter

from chibo_kernel.auth import Permission
from chibo_kernel.pool import LeanPool

from ...application.command_groups import Handlers, ReportEntry, ReviewEntry
from ...application.queries import month_reports
from .. import report_schemas as s
from .params import Month, ProblemId, UnitPath, accepted
from .places import Places, at, own_reports


def add_routes(
    api: APIRouter, handlers: Handlers, pool: Callable[[], LeanPool], places: Places
) -> None:
    branch = places.unit("branch_id")
    problem = [at(Permission.BRANCH_WORK, places.problem())]

    @api.post(
        "/branches/{branch_id}/reports/{month}",
        status_code=201,
        dependencies=[own_reports(branch)],
    )
    async def submit_reports(
        branch_id: UnitPath, month: Month, body: s.SubmitReports
    ) -> s.Accepted:
        """A whole branch's reports for a month, as one command and one transaction. A
        member signed in as such may submit only their own."""
        entries = [
            ReportEntry(
                r.member_id, r.situation, r.submitted_on, r.entered_by, r.problems, r.assignment
            )
            for r in body.reports
        ]
        return accepted(
            await handlers.submit_reports(branch_id, month, entries, today=date.today())
        )

    @api.post(
        "/branches/{branch_id}/reports/{month}/reviews",
        status_code=201,
        dependencies=[at(Permission.BRANCH_WORK, branch)],
    )
    async def review_reports(
        branch_id: UnitPath, month: Month, body: s.ReviewReports
    ) -> s.Accepted:
        reviews = [
            ReviewEntry(r.member_id, r.evaluation, r.comment, r.assignment) for r in body.reviews
        ]
        return accepted(
            await handlers.review_reports(branch_id, month, reviews, reviewed_on=body.reviewed_on)
        )

    @api.get("/branches/{branch_id}/reports/{month}", dependencies=[at(Permission.READ, branch)])
    async def reports_of_month(branch_id: UnitPath, month: Month) -> s.MonthView:
        reports, problems = await month_reports(pool(), branch_id, month)
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

    @api.post("/problems/{problem_id}/escalation", status_code=201, dependencies=problem)
    async def escalate(problem_id: ProblemId, body: s.Escalate) -> s.Accepted:
        return accepted(await handlers.escalate_problem(problem_id, **body.model_dump()))

    @api.post("/problems/{problem_id}/resolution", status_code=201, dependencies=problem)
    async def resolve(problem_id: ProblemId, body: s.Resolve) -> s.Accepted:
        return accepted(await handlers.resolve_problem(problem_id, **body.model_dump()))
