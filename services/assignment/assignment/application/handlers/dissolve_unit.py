"""A unit is dissolved, never deleted: its past stays."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import DissolveUnit
from ..loading import Loader


async def handle(command: DissolveUnit, load: Loader) -> Saved:
    unit = await load.unit(command.unit_id)
    unit.dissolve(command.valid_from, command.reason)
    return await load.repo.save([(unit, unit.path)])
