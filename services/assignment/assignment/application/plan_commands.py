"""Commands on branch areas and yearly plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chibo_kernel.domain import Saved

from ..domain.area import BranchArea
from ..domain.errors import refuse
from ..domain.events import DutyKind
from ..domain.plan import Plan, plan_id
from ..domain.plan_state import DEFAULT_RANGE
from ..domain.range_policy import HouseholdRangePolicy
from ..domain.standing import require_free_for_duties
from .loading import Loader


class PlanCommands(Loader):
    async def register_households(
        self, branch_id: str, households: Sequence[tuple[str, str]]
    ) -> Saved:
        path = await self.work_unit(branch_id)
        area = await self.repo.load(BranchArea, branch_id)
        for household_id, label in households:
            area.register_household(household_id, label)
        return await self.repo.save([(area, path)])

    async def draft_plan(
        self, branch_id: str, year: int, household_range: tuple[int, int] | None = None
    ) -> Saved:
        """Without a range of its own the plan takes the province's policy for its year."""
        path = await self.work_unit(branch_id)
        if household_range is None:
            policy = await self.repo.load(HouseholdRangePolicy, path[0])
            household_range = policy.on(date(year, 1, 1)) or DEFAULT_RANGE
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        plan.draft(branch_id=branch_id, year=year, household_range=household_range)
        return await self.repo.save([(plan, path)])

    async def set_household_range(
        self, province_id: str, *, low: int, high: int, valid_from: date
    ) -> Saved:
        path = await self.path(province_id)
        province = await self.unit(province_id)
        policy = await self.repo.load(HouseholdRangePolicy, province_id)
        policy.set(province, low=low, high=high, valid_from=valid_from)
        return await self.repo.save([(policy, path)])

    async def assign(
        self,
        branch_id: str,
        year: int,
        assignments: Sequence[tuple[str, Sequence[str]]],
        *,
        today: date,
    ) -> Saved:
        """A whole plan's assignments as one command: all stand, or none does. A member
        whose standing keeps them from duties (`domain/standing.py`) refuses the whole."""
        path = await self.path(branch_id)
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        area = await self.repo.load(BranchArea, branch_id)
        for member_id, households in assignments:
            await self._require_duty_holder(member_id, branch_id, year, today)
            plan.assign(member_id, households, area=area)
        return await self.repo.save([(plan, path)])

    async def adopt_plan(
        self, branch_id: str, year: int, *, resolution_number: str, adopted_on: date
    ) -> Saved:
        path = await self.path(branch_id)
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        plan.adopt(resolution_number=resolution_number, adopted_on=adopted_on)
        return await self.repo.save([(plan, path)])

    async def define_duties(
        self,
        branch_id: str,
        *,
        groups: Sequence[tuple[str, str, list[str]]] = (),
        routes: Sequence[tuple[str, str]] = (),
        tasks: Sequence[tuple[str, str]] = (),
    ) -> Saved:
        """Household groups, routes and named tasks of a branch's area, in one command."""
        path = await self.work_unit(branch_id)
        area = await self.repo.load(BranchArea, branch_id)
        for group_id, name, households in groups:
            area.define_group(group_id, name, households)
        for route_id, name in routes:
            area.define_route(route_id, name)
        for task_id, name in tasks:
            area.define_task(task_id, name)
        return await self.repo.save([(area, path)])

    async def assign_duties(
        self,
        branch_id: str,
        year: int,
        duties: Sequence[tuple[str, DutyKind, str]],
        *,
        today: date,
    ) -> Saved:
        """Groups, routes and tasks given to members, one command: all stand or none."""
        path = await self.path(branch_id)
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        area = await self.repo.load(BranchArea, branch_id)
        for member_id, kind, target_id in duties:
            await self._require_duty_holder(member_id, branch_id, year, today)
            plan.assign_duty(member_id, kind, target_id, area=area)
        return await self.repo.save([(plan, path)])

    async def _require_duty_holder(
        self, member_id: str, branch_id: str, year: int, today: date
    ) -> None:
        """A member of this branch whose standing lets them hold duties in the year."""
        member = await self.member(member_id)
        if member.branch_id != branch_id:
            raise refuse(
                "member_not_in_branch",
                f"member {member_id} does not belong to branch {branch_id}",
                f"đảng viên {member_id} không sinh hoạt ở chi bộ {branch_id}",
            )
        require_free_for_duties(member, year=year, today=today)
