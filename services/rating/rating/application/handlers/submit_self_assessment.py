"""A member's self-assessment, in the rating book of their branch at the year's end."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.cohort import CohortBook, book_id
from ...domain.commands import SubmitSelfAssessment
from ..whereabouts import PlacedDeps


async def handle(command: SubmitSelfAssessment, deps: PlacedDeps) -> Saved:
    branch_id, path = await deps.where.member_branch(command.member_id, command.year)
    book = await deps.repo.load(CohortBook, book_id(branch_id, command.year))
    book.submit_self_assessment(
        command.member_id,
        general_points=command.general_points,
        task_points=command.task_points,
        tasks_total=command.tasks_total,
        tasks_on_time=command.tasks_on_time,
        tasks_exceeded=command.tasks_exceeded,
        shortcomings_fixed=command.shortcomings_fixed,
        level=command.level,
    )
    return await deps.repo.save([(book, path)])
