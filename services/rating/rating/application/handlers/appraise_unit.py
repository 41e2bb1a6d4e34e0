"""The level above appraises a branch, chi bộ cơ sở or grassroots organisation: points out of
100 where the year's rules score collectives, else the criteria in words."""

from __future__ import annotations

from chibo_kernel.domain import Saved
from chibo_kernel.errors import RuleViolation

from ...domain.cohort import CohortBook, book_id
from ...domain.commands import AppraiseUnit
from ..loading import MEMBER_CELLS
from ..signer import signer
from ..whereabouts import PlacedDeps


async def handle(command: AppraiseUnit, deps: PlacedDeps) -> Saved:
    unit_id, year, points = command.unit_id, command.year, command.points
    rules = deps.rules.for_year(year)
    path, kind = await deps.where.unit(unit_id)
    if kind not in (*MEMBER_CELLS, "grassroots"):
        raise RuleViolation(
            "not_rated_here",
            f"{unit_id} is a {kind}: rated by the level above the province's system",
            f"{unit_id} không thuộc diện đánh giá trong hệ thống này",
        )
    scoring = rules.collective.scoring
    if (points is None) != (scoring is None):
        needs = "points out of 100" if scoring else "no points (criteria in words)"
        raise RuleViolation(
            "points_by_rule_set",
            f"{rules.title} rates collectives with {needs}",
            f"{rules.title}: " + ("cần chấm điểm trên thang 100" if scoring else "không chấm điểm"),
        )
    book = await deps.repo.load(CohortBook, book_id(unit_id, year))
    book.appraise_unit(
        points=points,
        level=command.level,
        targets_total=command.targets_total,
        targets_done=command.targets_done,
        targets_exceeded=command.targets_exceeded,
        disciplined=command.disciplined,
        appraised_by=await signer(deps.where),
        note=command.note,
    )
    return await deps.repo.save([(book, path)])
