"""A whole plan's assignments as one command: all stand, or none does. A member whose
standing keeps them from duties (`domain/standing.py`) refuses the whole."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.area import BranchArea
from ...domain.commands import AssignHouseholds
from ...domain.errors import TakenByOthers
from ...domain.plan import Plan, plan_id
from ..loading import Loader


async def handle(command: AssignHouseholds, load: Loader) -> Saved:
    branch_id, year = command.branch_id, command.year
    path = await load.path(branch_id)
    plan = await load.repo.load(Plan, plan_id(branch_id, year))
    area = await load.repo.load(BranchArea, branch_id)
    for member_id, households in command.assignments:
        await load.duty_holder(member_id, branch_id, year, command.today)
        try:
            plan.assign(member_id, households, area=area)
        except TakenByOthers as taken:
            raise await load.named(taken) from None
    return await load.repo.save([(plan, path)])
