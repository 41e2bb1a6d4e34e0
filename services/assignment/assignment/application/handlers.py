"""One async handler per command: load, let the aggregates decide, save in one append."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..domain.area import BranchArea
from ..domain.errors import refuse
from ..domain.events import EnteredBy, Evaluation, MemberStatus, Role, UnitKind
from ..domain.member import Member
from ..domain.org import OrgUnit
from ..domain.plan import Plan, plan_id
from ..domain.policies import (
    when_member_is_exempted_release_households,
    when_member_is_suspended_release_households,
    when_member_leaves_release_households,
    when_member_transfers_release_households,
)
from ..domain.reports import MonthlyReports, Problem, month_start, reports_id
from .repository import Repository, Saved


@dataclass(frozen=True)
class ReportEntry:
    member_id: str
    situation: str
    submitted_on: date
    entered_by: EnteredBy
    problems: Sequence[str] = ()


@dataclass(frozen=True)
class ReviewEntry:
    member_id: str
    evaluation: Evaluation
    comment: str


class Handlers:
    def __init__(self, repository: Repository) -> None:
        self.repo = repository

    async def create_unit(
        self, unit_id: str, *, kind: UnitKind, name: str, parent_id: str | None, valid_from: date
    ) -> Saved:
        parent = await self._unit(parent_id) if parent_id else None
        unit = await self.repo.load(OrgUnit, unit_id)
        unit.create(kind=kind, name=name, parent=parent, valid_from=valid_from)
        return await self.repo.save([(unit, unit.path)])

    async def register_member(
        self,
        *,
        full_name: str,
        branch_id: str,
        admission_date: date,
        status: MemberStatus,
        card_number: str,
        birth_date: date,
        member_id: str | None = None,
    ) -> tuple[str, Saved]:
        branch = await self._unit(branch_id)
        member = await self.repo.load(Member, member_id or uuid.uuid4().hex)
        member.register(
            full_name=full_name,
            branch=branch,
            admission_date=admission_date,
            status=status,
            card_number=card_number,
            birth_date=birth_date,
        )
        return member.id, await self.repo.save([(member, branch.path)])

    async def give_role(self, member_id: str, role: Role, since: date) -> Saved:
        member = await self._member(member_id)
        member.give_role(role, since)
        return await self.repo.save([(member, await self._path(member.branch_id))])

    async def exempt_member(
        self, member_id: str, *, from_date: date, to_date: date | None, reason: str
    ) -> Saved:
        member = await self._member(member_id)
        plan = await self._plan_if_any(member.branch_id, from_date.year)
        when_member_is_exempted_release_households(
            member, from_date=from_date, to_date=to_date, reason=reason, plan=plan
        )
        path = await self._path(member.branch_id)
        return await self.repo.save([(member, path), *([(plan, path)] if plan else [])])

    async def transfer_member(self, member_id: str, *, to_branch_id: str, on: date) -> Saved:
        member = await self._member(member_id)
        from_path = await self._path(member.branch_id)
        plan = await self._plan_if_any(member.branch_id, on.year)
        to_branch = await self._unit(to_branch_id)
        when_member_transfers_release_households(member, to_branch, on, plan)
        return await self.repo.save([(member, from_path), *([(plan, from_path)] if plan else [])])

    async def suspend_member(
        self, member_id: str, *, from_date: date, to_date: date | None, reason: str
    ) -> Saved:
        member = await self._member(member_id)
        plan = await self._plan_if_any(member.branch_id, from_date.year)
        when_member_is_suspended_release_households(
            member, from_date=from_date, to_date=to_date, reason=reason, plan=plan
        )
        path = await self._path(member.branch_id)
        return await self.repo.save([(member, path), *([(plan, path)] if plan else [])])

    async def member_leaves(self, member_id: str, *, on: date, reason: str) -> Saved:
        member = await self._member(member_id)
        plan = await self._plan_if_any(member.branch_id, on.year)
        when_member_leaves_release_households(member, on=on, reason=reason, plan=plan)
        path = await self._path(member.branch_id)
        return await self.repo.save([(member, path), *([(plan, path)] if plan else [])])

    async def confirm_member(self, member_id: str, on: date) -> Saved:
        member = await self._member(member_id)
        member.confirm(on)
        return await self.repo.save([(member, await self._path(member.branch_id))])

    async def attend_temporarily(
        self, member_id: str, *, host_branch_id: str, from_date: date, to_date: date
    ) -> Saved:
        member = await self._member(member_id)
        host = await self._unit(host_branch_id)
        member.attend_temporarily(host, from_date=from_date, to_date=to_date)
        return await self.repo.save([(member, await self._path(member.branch_id))])

    async def rename_unit(self, unit_id: str, name: str, valid_from: date) -> Saved:
        unit = await self._unit(unit_id)
        unit.rename(name, valid_from)
        return await self.repo.save([(unit, unit.path)])

    async def dissolve_unit(self, unit_id: str, valid_from: date, reason: str) -> Saved:
        unit = await self._unit(unit_id)
        unit.dissolve(valid_from, reason)
        return await self.repo.save([(unit, unit.path)])

    async def register_households(
        self, branch_id: str, households: Sequence[tuple[str, str]]
    ) -> Saved:
        path = await self._path(branch_id)
        area = await self.repo.load(BranchArea, branch_id)
        for household_id, label in households:
            area.register_household(household_id, label)
        return await self.repo.save([(area, path)])

    async def draft_plan(
        self, branch_id: str, year: int, household_range: tuple[int, int]
    ) -> Saved:
        path = await self._path(branch_id)
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        plan.draft(branch_id=branch_id, year=year, household_range=household_range)
        return await self.repo.save([(plan, path)])

    async def assign(
        self, branch_id: str, year: int, assignments: Sequence[tuple[str, Sequence[str]]]
    ) -> Saved:
        """A whole plan's assignments as one command: all stand, or none does."""
        path = await self._path(branch_id)
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        area = await self.repo.load(BranchArea, branch_id)
        for member_id, households in assignments:
            member = await self._member(member_id)
            if member.branch_id != branch_id:
                raise refuse(
                    "member_not_in_branch",
                    f"member {member_id} does not belong to branch {branch_id}",
                    f"đảng viên {member_id} không sinh hoạt ở chi bộ {branch_id}",
                )
            plan.assign(member_id, households, area=area)
        return await self.repo.save([(plan, path)])

    async def adopt_plan(
        self, branch_id: str, year: int, *, resolution_number: str, adopted_on: date
    ) -> Saved:
        path = await self._path(branch_id)
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        plan.adopt(resolution_number=resolution_number, adopted_on=adopted_on)
        return await self.repo.save([(plan, path)])

    async def submit_reports(
        self, branch_id: str, month: str, entries: Sequence[ReportEntry], *, today: date
    ) -> Saved:
        """A whole branch's reports for a month: one command, one transaction."""
        path = await self._path(branch_id)
        reports = await self.repo.load(MonthlyReports, reports_id(branch_id, month))
        plan = await self._plan_if_any(branch_id, month_start(month).year)
        problems = []
        for entry in entries:
            reports.submit(
                branch_id=branch_id,
                month=month,
                member_id=entry.member_id,
                situation=entry.situation,
                submitted_on=entry.submitted_on,
                entered_by=entry.entered_by,
                plan=plan,
                today=today,
            )
            for description in entry.problems:
                problem = Problem(uuid.uuid4().hex)
                problem.raise_(
                    branch_id=branch_id,
                    member_id=entry.member_id,
                    month=month,
                    description=description,
                    raised_on=entry.submitted_on,
                )
                problems.append((problem, path))
        return await self.repo.save([(reports, path), *problems])

    async def review_reports(
        self, branch_id: str, month: str, reviews: Sequence[ReviewEntry], *, reviewed_on: date
    ) -> Saved:
        path = await self._path(branch_id)
        reports = await self.repo.load(MonthlyReports, reports_id(branch_id, month))
        for review in reviews:
            reports.review(
                member_id=review.member_id,
                evaluation=review.evaluation,
                comment=review.comment,
                reviewed_on=reviewed_on,
            )
        return await self.repo.save([(reports, path)])

    async def escalate_problem(
        self, problem_id: str, *, to_unit_id: str, on: date, note: str
    ) -> Saved:
        problem = await self._problem(problem_id)
        path = await self._path(problem.branch_id)
        problem.escalate(await self._unit(to_unit_id), branch_path=path, on=on, note=note)
        return await self.repo.save([(problem, path)])

    async def resolve_problem(self, problem_id: str, *, on: date, resolution: str) -> Saved:
        problem = await self._problem(problem_id)
        problem.resolve(on=on, resolution=resolution)
        return await self.repo.save([(problem, await self._path(problem.branch_id))])

    async def _problem(self, problem_id: str) -> Problem:
        problem = await self.repo.load(Problem, problem_id)
        if not problem.exists:
            raise refuse(
                "problem_unknown", f"no problem {problem_id}", f"không có vấn đề {problem_id}"
            )
        return problem

    async def _unit(self, unit_id: str) -> OrgUnit:
        unit = await self.repo.load(OrgUnit, unit_id)
        if not unit.exists:
            raise refuse("unit_unknown", f"no unit {unit_id}", f"không có đơn vị {unit_id}")
        return unit

    async def _path(self, unit_id: str) -> list[str]:
        return (await self._unit(unit_id)).path

    async def _member(self, member_id: str) -> Member:
        member = await self.repo.load(Member, member_id)
        if not member.exists:
            raise refuse(
                "member_unknown", f"no member {member_id}", f"không có đảng viên {member_id}"
            )
        return member

    async def _plan_if_any(self, branch_id: str, year: int) -> Plan | None:
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        return plan if plan.exists else None
