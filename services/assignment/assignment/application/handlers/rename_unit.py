"""A unit's new name from a date on."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import RenameUnit
from ..loading import Loader


async def handle(command: RenameUnit, load: Loader) -> Saved:
    unit = await load.unit(command.unit_id)
    unit.rename(command.name, command.valid_from)
    return await load.repo.save([(unit, unit.path)])
