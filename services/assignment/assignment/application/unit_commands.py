"""Commands on the organisation tree."""

from __future__ import annotations

from datetime import date

from ..domain.events import UnitKind
from ..domain.org import OrgUnit
from .loading import Loader
from .repository import Saved


class UnitCommands(Loader):
    async def create_unit(
        self, unit_id: str, *, kind: UnitKind, name: str, parent_id: str | None, valid_from: date
    ) -> Saved:
        parent = await self._unit(parent_id) if parent_id else None
        self.repo.authorize("write", [*(parent.path if parent else []), unit_id])
        unit = await self.repo.load(OrgUnit, unit_id)
        unit.create(kind=kind, name=name, parent=parent, valid_from=valid_from)
        return await self.repo.save([(unit, unit.path)])

    async def rename_unit(self, unit_id: str, name: str, valid_from: date) -> Saved:
        unit = await self._unit(unit_id)
        self.repo.authorize("write", unit.path)
        unit.rename(name, valid_from)
        return await self.repo.save([(unit, unit.path)])

    async def move_unit(self, unit_id: str, *, to_parent_id: str, valid_from: date) -> Saved:
        unit = await self._unit(unit_id)
        self.repo.authorize("write", unit.path)
        new_parent = await self._unit(to_parent_id)
        self.repo.authorize("write", [*new_parent.path, unit.id])
        unit.move(new_parent, valid_from)
        return await self.repo.save([(unit, unit.path)])

    async def dissolve_unit(self, unit_id: str, valid_from: date, reason: str) -> Saved:
        unit = await self._unit(unit_id)
        self.repo.authorize("write", unit.path)
        unit.dissolve(valid_from, reason)
        return await self.repo.save([(unit, unit.path)])
