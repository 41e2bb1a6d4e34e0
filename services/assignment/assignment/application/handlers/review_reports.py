"""The branch meeting's review of the month's reports (good, fair, weak)."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import ReviewReports
from ...domain.reports import MonthlyReports, reports_id
from ..loading import Loader


async def handle(command: ReviewReports, load: Loader) -> Saved:
    path = await load.path(command.branch_id)
    reports = await load.repo.load(MonthlyReports, reports_id(command.branch_id, command.month))
    for review in command.reviews:
        reports.review(
            member_id=review.member_id,
            assignment=review.assignment,
            evaluation=review.evaluation,
            comment=review.comment,
            reviewed_on=command.reviewed_on,
        )
    return await load.repo.save([(reports, path)])
