"""The branch meeting's review of the month's reports (good, fair, weak); the comments go
to the private stream beside them."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import ReviewReports
from ...domain.errors import RefusedMember
from ...domain.private_texts import ReportTexts
from ...domain.reports import MonthlyReports, reports_id
from ..loading import Loader


async def handle(command: ReviewReports, load: Loader) -> Saved:
    path = await load.path(command.branch_id)
    reports = await load.repo.load(MonthlyReports, reports_id(command.branch_id, command.month))
    texts = await load.repo.load(ReportTexts, reports.id)
    for review in command.reviews:
        try:
            reports.review(
                member_id=review.member_id,
                assignment=review.assignment,
                evaluation=review.evaluation,
                comment=review.comment,
                reviewed_on=command.reviewed_on,
                texts=texts,
            )
        except RefusedMember as refusal:
            raise await load.named_member(refusal) from None
    # The public stream first: the comment completes the row its review projects.
    return await load.repo.save([(reports, path), (texts, path)])
