"""A committee member guides members of the branch in a year's plan."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import AssignMentor
from ...domain.plan import Plan, plan_id
from ..loading import Loader


async def handle(command: AssignMentor, load: Loader) -> Saved:
    path = await load.path(command.branch_id)
    plan = await load.repo.load(Plan, plan_id(command.branch_id, command.year))
    mentor = await load.member(command.mentor_id)
    mentees = [await load.member(m) for m in command.member_ids]
    plan.assign_mentor(mentor, mentees)
    return await load.repo.save([(plan, path)])
