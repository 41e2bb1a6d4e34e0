"""A whole branch's reports for a month: one command, one transaction; the problems they
raise are opened with them, and what each says goes to the private streams beside them.
Each public stream comes first in the append, so its read-model row exists when the text
that completes it is projected."""

from __future__ import annotations

import uuid

from chibo_kernel.domain import Saved

from ...domain.commands import SubmitReports
from ...domain.errors import RefusedMember
from ...domain.grassroots_cell import require_work_unit
from ...domain.private_texts import ProblemTexts, ReportTexts
from ...domain.problems import Problem
from ...domain.reports import MonthlyReports, month_start, reports_id
from ..loading import Loader


async def handle(command: SubmitReports, load: Loader) -> Saved:
    branch_id, month = command.branch_id, command.month
    unit = await load.holder(branch_id)
    path = unit.path
    require_work_unit(unit)
    reports = await load.repo.load(MonthlyReports, reports_id(branch_id, month))
    texts = await load.repo.load(ReportTexts, reports.id)
    plan = await load.plan_if_any(branch_id, month_start(month).year)
    problems = []
    for entry in command.reports:
        try:
            reports.submit(
                branch_id=branch_id,
                month=month,
                member_id=entry.member_id,
                assignment=entry.assignment,
                situation=entry.situation,
                submitted_on=entry.submitted_on,
                entered_by=entry.entered_by,
                plan=plan,
                today=command.today,
                texts=texts,
            )
        except RefusedMember as refusal:
            raise await load.named_member(refusal) from None
        for description in entry.problems:
            problem = Problem(uuid.uuid4().hex)
            about = ProblemTexts(problem.id)
            problem.raise_(
                branch_id=branch_id,
                member_id=entry.member_id,
                month=month,
                description=description,
                raised_on=entry.submitted_on,
                texts=about,
            )
            problems += [(problem, path), (about, path)]
    return await load.repo.save([(reports, path), (texts, path), *problems])
