"""A yearly plan drafted; without a range of its own it takes the province's policy for
its year (default 5-10)."""

from __future__ import annotations

from datetime import date

from chibo_kernel.domain import Saved

from ...domain.commands import DraftPlan
from ...domain.plan import Plan, plan_id
from ...domain.plan_state import DEFAULT_RANGE
from ...domain.range_policy import HouseholdRangePolicy
from ..loading import Loader


async def handle(command: DraftPlan, load: Loader) -> Saved:
    branch_id, year = command.branch_id, command.year
    path = await load.work_unit(branch_id)
    household_range = command.household_range
    if household_range is None:
        policy = await load.repo.load(HouseholdRangePolicy, path[0])
        household_range = policy.on(date(year, 1, 1)) or DEFAULT_RANGE
    plan = await load.repo.load(Plan, plan_id(branch_id, year))
    plan.draft(branch_id=branch_id, year=year, household_range=household_range)
    return await load.repo.save([(plan, path)])
