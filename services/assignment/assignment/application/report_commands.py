"""Monthly reports and the problems they raise."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chibo_kernel.auth import Permission
from chibo_kernel.domain import Saved

from ..domain.events import EnteredBy, Evaluation
from ..domain.grassroots_cell import require_work_unit
from ..domain.problems import Problem
from ..domain.reports import MonthlyReports, month_start, reports_id
from .loading import Loader


@dataclass(frozen=True)
class ReportEntry:
    member_id: str
    situation: str
    submitted_on: date
    entered_by: EnteredBy
    problems: Sequence[str] = ()
    assignment: str = "households"


@dataclass(frozen=True)
class ReviewEntry:
    member_id: str
    evaluation: Evaluation
    comment: str
    assignment: str = "households"


class ReportCommands(Loader):
    async def submit_reports(
        self, branch_id: str, month: str, entries: Sequence[ReportEntry], *, today: date
    ) -> Saved:
        """A whole branch's reports for a month: one command, one transaction. The member
        role may submit only its own."""
        unit = await self.holder(branch_id)
        path = unit.path
        named = sorted({e.member_id for e in entries})
        if not named:
            self.repo.authorize(Permission.REPORT, path)
        for member_id in named:
            self.repo.authorize(Permission.REPORT, path, member_id)
        require_work_unit(unit)
        reports = await self.repo.load(MonthlyReports, reports_id(branch_id, month))
        plan = await self.plan_if_any(branch_id, month_start(month).year)
        problems = []
        for entry in entries:
            reports.submit(
                branch_id=branch_id,
                month=month,
                member_id=entry.member_id,
                assignment=entry.assignment,
                situation=entry.situation,
                submitted_on=entry.submitted_on,
                entered_by=entry.entered_by,
                plan=plan,
                today=today,
            )
            for description in entry.problems:
                problem = Problem(uuid.uuid4().hex)
                problem.raise_(
                    branch_id=branch_id,
                    member_id=entry.member_id,
                    month=month,
                    description=description,
                    raised_on=entry.submitted_on,
                )
                problems.append((problem, path))
        return await self.repo.save([(reports, path), *problems])

    async def review_reports(
        self, branch_id: str, month: str, reviews: Sequence[ReviewEntry], *, reviewed_on: date
    ) -> Saved:
        path = await self.path(branch_id)
        reports = await self.repo.load(MonthlyReports, reports_id(branch_id, month))
        for review in reviews:
            reports.review(
                member_id=review.member_id,
                assignment=review.assignment,
                evaluation=review.evaluation,
                comment=review.comment,
                reviewed_on=reviewed_on,
            )
        return await self.repo.save([(reports, path)])

    async def escalate_problem(
        self, problem_id: str, *, to_unit_id: str, on: date, note: str
    ) -> Saved:
        problem = await self.problem(problem_id)
        path = await self.path(problem.branch_id)
        problem.escalate(await self.unit(to_unit_id), branch_path=path, on=on, note=note)
        return await self.repo.save([(problem, path)])

    async def resolve_problem(self, problem_id: str, *, on: date, resolution: str) -> Saved:
        problem = await self.problem(problem_id)
        path = await self.path(problem.branch_id)
        problem.resolve(on=on, resolution=resolution)
        return await self.repo.save([(problem, path)])
