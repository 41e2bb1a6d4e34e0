"""Groups, routes and tasks given to members, one command: all stand or none. A member
whose standing keeps them from duties refuses the whole."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.area import BranchArea
from ...domain.commands import AssignDuties
from ...domain.errors import TakenByOthers
from ...domain.plan import Plan, plan_id
from ..loading import Loader


async def handle(command: AssignDuties, load: Loader) -> Saved:
    branch_id, year = command.branch_id, command.year
    path = await load.path(branch_id)
    plan = await load.repo.load(Plan, plan_id(branch_id, year))
    area = await load.repo.load(BranchArea, branch_id)
    for member_id, kind, target_id in command.duties:
        await load.duty_holder(member_id, branch_id, year, command.today)
        try:
            plan.assign_duty(member_id, kind, target_id, area=area)
        except TakenByOthers as taken:
            raise await load.named(taken) from None
    return await load.repo.save([(plan, path)])
