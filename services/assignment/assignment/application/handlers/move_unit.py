"""A unit moves, with everything under it, beneath another parent: new events file under
the new path, old ones keep theirs."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import MoveUnit
from ..loading import Loader


async def handle(command: MoveUnit, load: Loader) -> Saved:
    unit = await load.unit(command.unit_id)
    new_parent = await load.holder(command.to_parent_id)
    unit.move(new_parent, command.valid_from)
    return await load.repo.save([(unit, unit.path)])
