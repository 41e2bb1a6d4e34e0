"""The places the locators ask for, answered from the aggregates' own events: for the
service wired on the in-memory store, which keeps no read models. A unit's path is its
parents' chain; a member's place is their branch's; no import job runs there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chibo_chassis.auth import Place
from chibo_kernel.domain import Repository

from ..domain.member import Member
from ..domain.org import OrgUnit
from ..domain.problems import Problem


class AggregatePlaces:
    def __init__(self, repository: Repository) -> None:
        self._repo = repository

    async def of_unit(self, unit_id: object) -> list[str] | None:
        if not isinstance(unit_id, str):
            return None
        unit = await self._repo.load(OrgUnit, unit_id)
        if not unit.exists:
            return None
        above = await self.of_unit(unit.parent_id) if unit.parent_id else []
        return None if above is None else [*above, unit.id]

    async def of_member(self, member_id: object) -> list[str] | None:
        if not isinstance(member_id, str):
            return None
        member = await self._repo.load(Member, member_id)
        return await self.of_unit(member.branch_id) if member.exists else None

    async def of_problem(self, problem_id: object) -> list[str] | None:
        if not isinstance(problem_id, str):
            return None
        problem = await self._repo.load(Problem, problem_id)
        return await self.of_unit(problem.branch_id) if problem.exists else None

    async def of_job(self, job_id: object) -> list[str] | None:
        return None

    async def of_units(self, named: Sequence[Any]) -> list[Place]:
        return [await self.of_unit(unit_id) for unit_id in named]
