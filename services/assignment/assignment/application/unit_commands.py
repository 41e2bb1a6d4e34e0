"""Commands on the organisation tree."""

from __future__ import annotations

from datetime import date

from chibo_kernel.auth import Permission
from chibo_kernel.domain import Aggregate, Saved

from ..domain.area import BranchArea
from ..domain.events import UnitKind
from ..domain.grassroots_cell import holds_members, require_work_unit
from ..domain.org import OrgUnit
from ..domain.policies import when_member_transfers_release_households
from .loading import Loader


class UnitCommands(Loader):
    async def create_unit(
        self, unit_id: str, *, kind: UnitKind, name: str, parent_id: str | None, valid_from: date
    ) -> Saved:
        parent = await self.holder(parent_id) if parent_id else None
        # At the parent; a province is created at the root of the tree.
        self.repo.authorize(Permission.ORGANISE, parent.path if parent else [])
        unit = await self.repo.load(OrgUnit, unit_id)
        unit.create(kind=kind, name=name, parent=parent, valid_from=valid_from)
        return await self.repo.save([(unit, unit.path)])

    async def rename_unit(self, unit_id: str, name: str, valid_from: date) -> Saved:
        unit = await self.unit(unit_id)
        self.repo.authorize(Permission.ORGANISE, unit.path)
        unit.rename(name, valid_from)
        return await self.repo.save([(unit, unit.path)])

    async def move_unit(self, unit_id: str, *, to_parent_id: str, valid_from: date) -> Saved:
        unit = await self.unit(unit_id)
        self.repo.authorize(Permission.ORGANISE, unit.path)
        new_parent = await self.holder(to_parent_id)
        self.repo.authorize(Permission.ORGANISE, new_parent.path)
        unit.move(new_parent, valid_from)
        return await self.repo.save([(unit, unit.path)])

    async def merge_unit(self, unit_id: str, *, into_unit_id: str, valid_from: date) -> Saved:
        """Sáp nhập in one command: the members who belong to the unit directly (a branch's,
        or a chi bộ cơ sở's) transfer with their holdings released and its households join
        the other area; the units under it move. A chi bộ cơ sở merges into another one:
        its members cannot go to a đảng bộ cơ sở, which has branches."""
        source = await self.holder(unit_id)
        self.repo.authorize(Permission.ORGANISE, source.path)
        target = await self.holder(into_unit_id)
        self.repo.authorize(Permission.ORGANISE, target.path)
        source.merge_into(target, valid_from)
        changes: list[tuple[Aggregate, list[str]]] = [(source, source.path)]
        if holds_members(source):  # a branch or a chi bộ cơ sở: members and area go over
            require_work_unit(target)
            plan = await self.plan_if_any(source.id, valid_from.year)
            for member_id in await self.directory.members_of(source.id):
                member = await self.member(member_id)
                when_member_transfers_release_households(member, target, valid_from, plan)
                changes.append((member, source.path))
            if plan is not None:
                changes.append((plan, source.path))
            area = await self.repo.load(BranchArea, target.id)
            area.take_over(await self.repo.load(BranchArea, source.id))
            changes.append((area, target.path))
        for child_id in await self.directory.children_of(source.id):
            child = await self.unit(child_id)
            child.move(target, valid_from)
            changes.append((child, child.path))
        return await self.repo.save(changes)

    async def dissolve_unit(self, unit_id: str, valid_from: date, reason: str) -> Saved:
        unit = await self.unit(unit_id)
        self.repo.authorize(Permission.ORGANISE, unit.path)
        unit.dissolve(valid_from, reason)
        return await self.repo.save([(unit, unit.path)])
