"""A problem closed with its resolution."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import ResolveProblem
from ..loading import Loader


async def handle(command: ResolveProblem, load: Loader) -> Saved:
    problem = await load.problem(command.problem_id)
    path = await load.path(problem.branch_id)
    problem.resolve(on=command.on, resolution=command.resolution)
    return await load.repo.save([(problem, path)])
