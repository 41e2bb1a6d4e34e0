"""Sáp nhập in one command: the members who belong to the unit directly (a branch's, or a
chi bộ cơ sở's) transfer with their holdings released and its households join the other
area; the units under it move. A chi bộ cơ sở merges into another one: its members cannot
go to a đảng bộ cơ sở, which has branches."""

from __future__ import annotations

from chibo_kernel.domain import Aggregate, Saved

from ...domain.area import BranchArea
from ...domain.commands import MergeUnit
from ...domain.grassroots_cell import holds_members, require_work_unit
from ...domain.policies import when_member_transfers_release_households
from ...domain.private_texts import HouseholdLabels
from ..loading import Loader


async def handle(command: MergeUnit, load: Loader) -> Saved:
    valid_from = command.valid_from
    source = await load.holder(command.unit_id)
    target = await load.holder(command.into_unit_id)
    source.merge_into(target, valid_from)
    changes: list[tuple[Aggregate, list[str]]] = [(source, source.path)]
    if holds_members(source):  # a branch or a chi bộ cơ sở: members and area go over
        require_work_unit(target)
        plan = await load.plan_if_any(source.id, valid_from.year)
        for member_id in await load.directory.members_of(source.id):
            member = await load.member(member_id)
            when_member_transfers_release_households(member, target, valid_from, plan)
            changes.append((member, source.path))
        if plan is not None:
            changes.append((plan, source.path))
        area = await load.repo.load(BranchArea, target.id)
        labels = await load.repo.load(HouseholdLabels, target.id)
        their_labels = await load.repo.load(HouseholdLabels, source.id)
        area.take_over(await load.repo.load(BranchArea, source.id), their_labels, labels)
        changes += [(area, target.path), (labels, target.path)]
    for child_id in await load.directory.children_of(source.id):
        child = await load.unit(child_id)
        child.move(target, valid_from)
        changes.append((child, child.path))
    return await load.repo.save(changes)
