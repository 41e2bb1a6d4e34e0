"""Mentoring within a branch, and following from above with its quotas."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chibo_kernel.auth import Permission
from chibo_kernel.domain import Saved

from ..domain.events import CommitteeLevel
from ..domain.following import Following, VisitQuota, common_path, following_id, quota_id
from ..domain.plan import Plan, plan_id
from .loading import Loader


class FollowingCommands(Loader):
    async def assign_mentor(
        self, branch_id: str, year: int, mentor_id: str, member_ids: Sequence[str]
    ) -> Saved:
        path = await self.path(branch_id)
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        mentor = await self.member(mentor_id)
        mentees = [await self.member(m) for m in member_ids]
        plan.assign_mentor(mentor, mentees)
        return await self.repo.save([(plan, path)])

    async def assign_following(
        self, follower_id: str, *, level: CommitteeLevel, year: int, unit_ids: Sequence[str]
    ) -> Saved:
        """`follow` at the follower's branch and at every unit followed."""
        follower = await self.member(follower_id)
        await self.path(follower.branch_id)
        units = [await self.unit(u) for u in unit_ids]
        for unit in units:
            self.repo.authorize(Permission.FOLLOW, unit.path)
        path = common_path(units)
        following = await self.repo.load(Following, following_id(follower_id, year))
        following.assign(follower, level=level, year=year, units=units)
        return await self.repo.save([(following, path)])

    async def set_visit_quota(
        self, province_id: str, *, level: CommitteeLevel, meetings_per_year: int, valid_from: date
    ) -> Saved:
        path = await self.path(province_id)
        province = await self.unit(province_id)
        quota = await self.repo.load(VisitQuota, quota_id(province_id, level))
        quota.set(province, level=level, meetings_per_year=meetings_per_year, valid_from=valid_from)
        return await self.repo.save([(quota, path)])
