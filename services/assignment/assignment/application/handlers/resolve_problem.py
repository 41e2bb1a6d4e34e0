"""A problem closed; its resolution goes beside its stream."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import ResolveProblem
from ...domain.errors import RefusedMember
from ...domain.private_texts import ProblemTexts
from ..loading import Loader


async def handle(command: ResolveProblem, load: Loader) -> Saved:
    problem = await load.problem(command.problem_id)
    path = await load.path(problem.branch_id)
    texts = await load.repo.load(ProblemTexts, problem.id)
    try:
        problem.resolve(on=command.on, resolution=command.resolution, texts=texts)
    except RefusedMember as refusal:  # the problem is known by who raised it
        raise await load.named_member(refusal) from None
    return await load.repo.save([(problem, path), (texts, path)])
