"""Loading what a command needs, refusing in both languages what does not exist."""

from __future__ import annotations

from datetime import date

from chibo_kernel.domain import Repository
from chibo_kernel.errors import RuleViolation
from chibo_kernel.keyring import ERASED_VI

from ..adapters.directory import Directory
from ..domain.errors import RefusedMember, TakenByOthers, refuse
from ..domain.grassroots_cell import require_work_unit
from ..domain.member import Member
from ..domain.org import OrgUnit
from ..domain.plan import Plan, plan_id
from ..domain.problems import Problem
from ..domain.standing import require_free_for_duties


class Loader:
    """What every command handler is given: the repository, and how to load what must
    exist."""

    def __init__(self, repository: Repository, directory: Directory | None = None) -> None:
        self.repo = repository
        self._directory = directory

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            raise RuntimeError("this command needs the read-model directory; wire one in")
        return self._directory

    async def unit(self, unit_id: str) -> OrgUnit:
        """The unit with its current path: a move above it changes where it sits without
        touching its own stream, so the path is resolved through its parents."""
        unit = await self.repo.load(OrgUnit, unit_id)
        if not unit.exists:
            raise refuse("unit_unknown", f"no unit {unit_id}", f"không có đơn vị {unit_id}")
        if unit.parent_id:
            parent = await self.unit(unit.parent_id)
            unit.path = [*parent.path, unit.id]
        return unit

    async def holder(self, unit_id: str) -> OrgUnit:
        """The unit with what it holds, for the rules of `domain/grassroots_cell.py`: the
        active units under it and the members who belong to it directly, from the read
        models (its stream records neither). A branch has nothing under it."""
        unit = await self.unit(unit_id)
        if unit.kind == "branch":
            unit.sub_units = ()
        elif unit.kind == "grassroots":
            unit.sub_units = tuple(await self.directory.children_of(unit_id))
            unit.direct_members = tuple(await self.directory.members_of(unit_id))
        return unit

    async def work_unit(self, unit_id: str) -> list[str]:
        """Where a branch's (or a chi bộ cơ sở's) work is filed: households, plans and
        reports belong to no other unit."""
        unit = await self.holder(unit_id)
        require_work_unit(unit)
        return unit.path

    async def path(self, unit_id: str) -> list[str]:
        """Where a command files its events: the unit's current path."""
        return (await self.unit(unit_id)).path

    async def member(self, member_id: str) -> Member:
        member = await self.repo.load(Member, member_id)
        if not member.exists:
            raise refuse(
                "member_unknown", f"no member {member_id}", f"không có đảng viên {member_id}"
            )
        return member

    async def duty_holder(self, member_id: str, branch_id: str, year: int, today: date) -> Member:
        """A member of this branch whose standing lets them hold duties in the year."""
        member = await self.member(member_id)
        if member.branch_id != branch_id:
            name, branch = member.full_name or ERASED_VI, await self.unit_name(branch_id)
            raise refuse(
                "member_not_in_branch",
                f"member {name} does not belong to {branch}",
                f"đảng viên {name} không sinh hoạt ở {branch}",
            )
        await self.free_for_duties(member, year=year, today=today)
        return member

    async def free_for_duties(self, member: Member, *, year: int, today: date) -> None:
        """`require_free_for_duties`, naming the branch a member away attends by its name."""
        host = member.temporary_host
        host_name = await self.unit_name(host) if host else None
        require_free_for_duties(member, year=year, today=today, host_name=host_name)

    async def unit_name(self, unit_id: str) -> str:
        """A unit as people know it: its name (its code only if it has none)."""
        unit = await self.repo.load(OrgUnit, unit_id)
        return unit.name or unit_id

    async def named(self, refusal: TakenByOthers) -> RuleViolation:
        """The refusal naming the members who hold what was asked for by their names."""
        names: dict[str, str] = {}
        for member_id in refusal.holder_ids:
            member = await self.repo.load(Member, member_id)
            if member.exists:
                names[member_id] = member.full_name or ERASED_VI
        return refusal.naming(names)

    async def named_member(self, refusal: RefusedMember) -> RuleViolation:
        """The refusal naming its member by name ("đã xóa" once erased); a member unknown
        here has no name: `member_unknown` says so."""
        member = await self.member(refusal.member_id)
        return refusal.naming(member.full_name or ERASED_VI)

    async def plan_if_any(self, branch_id: str, year: int) -> Plan | None:
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        return plan if plan.exists else None

    async def problem(self, problem_id: str) -> Problem:
        problem = await self.repo.load(Problem, problem_id)
        if not problem.exists:
            raise refuse(
                "problem_unknown", f"no problem {problem_id}", f"không có vấn đề {problem_id}"
            )
        return problem
