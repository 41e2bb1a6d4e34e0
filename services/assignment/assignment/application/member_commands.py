"""Commands on members; a change of standing releases their households in the same append."""

from __future__ import annotations

import uuid
from datetime import date

from chibo_kernel.auth import Permission
from chibo_kernel.domain import Saved

from ..domain.events import MemberStatus, Role
from ..domain.identity import MemberIdentity
from ..domain.member import Member
from ..domain.policies import (
    when_member_attends_elsewhere_release_households,
    when_member_is_exempted_release_households,
    when_member_is_suspended_release_households,
    when_member_leaves_release_households,
    when_member_transfers_release_households,
)
from .loading import Loader


class MemberCommands(Loader):
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
        branch_path = await self._path(branch_id, Permission.MEMBERS)
        branch = await self._holder(branch_id)
        member = await self.repo.load(Member, member_id or uuid.uuid4().hex)
        member.register(
            full_name=full_name, branch=branch, admission_date=admission_date, status=status
        )
        # New with the member: both streams are appended at once, so neither exists yet.
        identity = MemberIdentity(member.id)
        identity.record(member, card_number=card_number, birth_date=birth_date)
        return member.id, await self.repo.save([(member, branch_path), (identity, branch_path)])

    async def give_role(self, member_id: str, role: Role, since: date) -> Saved:
        member = await self._member(member_id)
        path = await self._path(member.branch_id, Permission.MEMBERS)
        member.give_role(role, since)
        return await self.repo.save([(member, path)])

    async def exempt_member(
        self, member_id: str, *, from_date: date, to_date: date | None, reason: str
    ) -> Saved:
        member = await self._member(member_id)
        path = await self._path(member.branch_id, Permission.MEMBERS)
        plan = await self._plan_if_any(member.branch_id, from_date.year)
        when_member_is_exempted_release_households(
            member, from_date=from_date, to_date=to_date, reason=reason, plan=plan
        )
        return await self.repo.save([(member, path), *([(plan, path)] if plan else [])])

    async def suspend_member(
        self, member_id: str, *, from_date: date, to_date: date | None, reason: str
    ) -> Saved:
        member = await self._member(member_id)
        path = await self._path(member.branch_id, Permission.MEMBERS)
        plan = await self._plan_if_any(member.branch_id, from_date.year)
        when_member_is_suspended_release_households(
            member, from_date=from_date, to_date=to_date, reason=reason, plan=plan
        )
        return await self.repo.save([(member, path), *([(plan, path)] if plan else [])])

    async def member_leaves(self, member_id: str, *, on: date, reason: str) -> Saved:
        member = await self._member(member_id)
        path = await self._path(member.branch_id, Permission.MEMBERS)
        plan = await self._plan_if_any(member.branch_id, on.year)
        when_member_leaves_release_households(member, on=on, reason=reason, plan=plan)
        return await self.repo.save([(member, path), *([(plan, path)] if plan else [])])

    async def confirm_member(self, member_id: str, on: date) -> Saved:
        member = await self._member(member_id)
        path = await self._path(member.branch_id, Permission.MEMBERS)
        member.confirm(on)
        return await self.repo.save([(member, path)])

    async def attend_temporarily(
        self, member_id: str, *, host_branch_id: str, from_date: date, to_date: date
    ) -> Saved:
        """Sinh hoạt tạm thời: the home branch's plans of the period release what the
        member held, in the same append."""
        member = await self._member(member_id)
        path = await self._path(member.branch_id, Permission.MEMBERS)
        host = await self._holder(host_branch_id)
        plans = [
            plan
            for year in range(from_date.year, to_date.year + 1)
            if (plan := await self._plan_if_any(member.branch_id, year)) is not None
        ]
        when_member_attends_elsewhere_release_households(
            member, host, from_date=from_date, to_date=to_date, plans=plans
        )
        return await self.repo.save([(member, path), *((plan, path) for plan in plans)])

    async def transfer_member(self, member_id: str, *, to_branch_id: str, on: date) -> Saved:
        member = await self._member(member_id)
        from_path = await self._path(member.branch_id, Permission.MEMBERS)
        plan = await self._plan_if_any(member.branch_id, on.year)
        to_branch = await self._holder(to_branch_id)
        self.repo.authorize(Permission.MEMBERS, to_branch.path)
        when_member_transfers_release_households(member, to_branch, on, plan)
        return await self.repo.save([(member, from_path), *([(plan, from_path)] if plan else [])])
