"""A branch's households, in bulk: all or nothing; their labels beside the area, private."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.area import BranchArea
from ...domain.commands import RegisterHouseholds
from ...domain.private_texts import HouseholdLabels
from ..loading import Loader


async def handle(command: RegisterHouseholds, load: Loader) -> Saved:
    path = await load.work_unit(command.branch_id)
    area = await load.repo.load(BranchArea, command.branch_id)
    labels = await load.repo.load(HouseholdLabels, command.branch_id)
    for household_id, label in command.households:
        area.register_household(household_id, label, labels)
    return await load.repo.save([(area, path), (labels, path)])
