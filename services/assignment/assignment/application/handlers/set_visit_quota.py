"""Branch meetings a year per committee level, from a date on: the province's quota."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import SetVisitQuota
from ...domain.following import VisitQuota, quota_id
from ..loading import Loader


async def handle(command: SetVisitQuota, load: Loader) -> Saved:
    path = await load.path(command.province_id)
    province = await load.unit(command.province_id)
    quota = await load.repo.load(VisitQuota, quota_id(command.province_id, command.level))
    quota.set(
        province,
        level=command.level,
        meetings_per_year=command.meetings_per_year,
        valid_from=command.valid_from,
    )
    return await load.repo.save([(quota, path)])
