"""The province's household range policy from a date on."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import SetHouseholdRange
from ...domain.range_policy import HouseholdRangePolicy
from ..loading import Loader


async def handle(command: SetHouseholdRange, load: Loader) -> Saved:
    path = await load.path(command.province_id)
    province = await load.unit(command.province_id)
    policy = await load.repo.load(HouseholdRangePolicy, command.province_id)
    policy.set(province, low=command.low, high=command.high, valid_from=command.valid_from)
    return await load.repo.save([(policy, path)])
