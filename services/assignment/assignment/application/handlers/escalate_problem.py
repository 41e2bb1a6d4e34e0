"""A problem handed up to a unit above its branch; the note goes beside its stream."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import EscalateProblem
from ...domain.private_texts import ProblemTexts
from ..loading import Loader


async def handle(command: EscalateProblem, load: Loader) -> Saved:
    problem = await load.problem(command.problem_id)
    path = await load.path(problem.branch_id)
    to_unit = await load.unit(command.to_unit_id)
    texts = await load.repo.load(ProblemTexts, problem.id)
    problem.escalate(to_unit, branch_path=path, on=command.on, note=command.note, texts=texts)
    return await load.repo.save([(problem, path), (texts, path)])
