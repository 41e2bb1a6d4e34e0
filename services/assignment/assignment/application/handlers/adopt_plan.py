"""A plan adopted, with the resolution's number and date."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import AdoptPlan
from ...domain.plan import Plan, plan_id
from ..loading import Loader


async def handle(command: AdoptPlan, load: Loader) -> Saved:
    path = await load.path(command.branch_id)
    plan = await load.repo.load(Plan, plan_id(command.branch_id, command.year))
    plan.adopt(resolution_number=command.resolution_number, adopted_on=command.adopted_on)
    return await load.repo.save([(plan, path)])
