"""A problem handed up to a unit above its branch; the note goes beside its stream."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import EscalateProblem
from ...domain.errors import RefusedMember
from ...domain.private_texts import ProblemTexts
from ..loading import Loader


async def handle(command: EscalateProblem, load: Loader) -> Saved:
    problem = await load.problem(command.problem_id)
    branch = await load.unit(problem.branch_id)
    to_unit = await load.unit(command.to_unit_id)
    texts = await load.repo.load(ProblemTexts, problem.id)
    try:
        problem.escalate(to_unit, branch=branch, on=command.on, note=command.note, texts=texts)
    except RefusedMember as refusal:  # the problem is known by who raised it
        raise await load.named_member(refusal) from None
    return await load.repo.save([(problem, branch.path), (texts, branch.path)])
