"""A problem handed up to a unit above its branch."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import EscalateProblem
from ..loading import Loader


async def handle(command: EscalateProblem, load: Loader) -> Saved:
    problem = await load.problem(command.problem_id)
    path = await load.path(problem.branch_id)
    to_unit = await load.unit(command.to_unit_id)
    problem.escalate(to_unit, branch_path=path, on=command.on, note=command.note)
    return await load.repo.save([(problem, path)])
