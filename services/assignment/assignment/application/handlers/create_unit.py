"""A new unit under its parent (a province at the root of the tree)."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import CreateUnit
from ...domain.org import OrgUnit
from ..loading import Loader


async def handle(command: CreateUnit, load: Loader) -> Saved:
    parent = await load.holder(command.parent_id) if command.parent_id else None
    unit = await load.repo.load(OrgUnit, command.unit_id)
    unit.create(kind=command.kind, name=command.name, parent=parent, valid_from=command.valid_from)
    return await load.repo.save([(unit, unit.path)])
