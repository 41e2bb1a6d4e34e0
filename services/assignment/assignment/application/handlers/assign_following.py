"""A higher committee member follows organisations for a year; the assignment is filed
where all of them meet in the tree."""

from __future__ import annotations

from chibo_kernel.domain import Saved

from ...domain.commands import AssignFollowing
from ...domain.following import Following, common_path, following_id
from ..loading import Loader


async def handle(command: AssignFollowing, load: Loader) -> Saved:
    follower = await load.member(command.member_id)
    await load.path(follower.branch_id)  # the follower's branch must still exist
    units = [await load.unit(u) for u in command.unit_ids]
    path = common_path(units)
    following = await load.repo.load(Following, following_id(command.member_id, command.year))
    following.assign(follower, level=command.level, year=command.year, units=units)
    return await load.repo.save([(following, path)])
