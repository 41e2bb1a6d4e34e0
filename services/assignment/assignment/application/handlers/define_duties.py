"""Household groups, routes and named tasks of a branch's area, in one command."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.area import BranchArea
from ...domain.commands import DefineDuties
from ..loading import Loader


async def handle(command: DefineDuties, load: Loader) -> Saved:
    path = await load.work_unit(command.branch_id)
    area = await load.repo.load(BranchArea, command.branch_id)
    for group_id, name, households in command.groups:
        area.define_group(group_id, name, list(households))
    for route_id, name in command.routes:
        area.define_route(route_id, name)
    for task_id, name in command.tasks:
        area.define_task(task_id, name)
    return await load.repo.save([(area, path)])
