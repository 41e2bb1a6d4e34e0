"""A party member (đảng viên): which branch they belong to, their standing and roles."""

from __future__ import annotations

from datetime import date

from chibo_kernel import DomainEvent

from .aggregate import Aggregate
from .errors import refuse
from .events import (
    MemberExempted,
    MemberIdentityRecorded,
    MemberRegistered,
    MemberRoleGiven,
    MemberStatus,
    MemberTransferred,
    Role,
)
from .names import clean_name
from .org import OrgUnit

COMMITTEE_ROLES: frozenset[str] = frozenset({"secretary", "deputy_secretary", "committee_member"})


class Member(Aggregate):
    category = "member"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.full_name = ""
        self.branch_id = ""
        self.roles: set[str] = set()
        self.exempt_from: date | None = None
        self.exempt_to: date | None = None

    @property
    def on_committee(self) -> bool:
        return bool(self.roles & COMMITTEE_ROLES)

    def exempt_on(self, day: date) -> bool:
        if self.exempt_from is None or day < self.exempt_from:
            return False
        return self.exempt_to is None or day <= self.exempt_to

    def register(
        self,
        *,
        full_name: str,
        branch: OrgUnit,
        admission_date: date,
        status: MemberStatus,
        card_number: str,
        birth_date: date,
    ) -> None:
        if self.exists:
            raise refuse("member_exists", "member already registered", "đảng viên đã có")
        _require_branch(branch)
        if birth_date >= admission_date:
            raise refuse(
                "invalid_dates",
                "the admission date must come after the birth date",
                "ngày vào Đảng phải sau ngày sinh",
            )
        self._emit(
            MemberRegistered(
                member_id=self.id,
                full_name=clean_name(full_name),
                branch_id=branch.id,
                admission_date=admission_date,
                status=status,
            )
        )
        self._emit(
            MemberIdentityRecorded(
                member_id=self.id, card_number=card_number, birth_date=birth_date
            )
        )

    def give_role(self, role: Role, since: date) -> None:
        self._require_registered()
        if role in self.roles:
            return  # already holds it: nothing happened, nothing to record
        self._emit(
            MemberRoleGiven(member_id=self.id, branch_id=self.branch_id, role=role, since=since)
        )

    def exempt(self, *, from_date: date, to_date: date | None, reason: str) -> None:
        self._require_registered()
        if to_date is not None and to_date < from_date:
            raise refuse(
                "invalid_period",
                "an exemption cannot end before it starts",
                "thời gian miễn không thể kết thúc trước khi bắt đầu",
            )
        if not reason.strip():
            raise refuse("reason_required", "an exemption needs a reason", "miễn cần có lý do")
        self._emit(
            MemberExempted(
                member_id=self.id,
                branch_id=self.branch_id,
                from_date=from_date,
                to_date=to_date,
                reason=reason.strip(),
            )
        )

    def transfer(self, to_branch: OrgUnit, on: date) -> None:
        self._require_registered()
        _require_branch(to_branch)
        if to_branch.id == self.branch_id:
            raise refuse(
                "same_branch",
                "the member already belongs to that branch",
                "đảng viên đã sinh hoạt ở chi bộ đó",
            )
        self._emit(
            MemberTransferred(
                member_id=self.id, from_branch_id=self.branch_id, to_branch_id=to_branch.id, on=on
            )
        )

    def _require_registered(self) -> None:
        if not self.exists:
            raise refuse("member_unknown", f"no member {self.id}", f"không có đảng viên {self.id}")

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case MemberRegistered():
                self.full_name, self.branch_id = event.full_name, event.branch_id
            case MemberRoleGiven():
                self.roles.add(event.role)
            case MemberExempted():
                self.exempt_from, self.exempt_to = event.from_date, event.to_date
            case MemberTransferred():
                self.branch_id = event.to_branch_id
                self.roles.clear()  # roles belong to the branch left behind


def _require_branch(unit: OrgUnit) -> None:
    if unit.kind != "branch" or not unit.active:
        raise refuse(
            "not_a_branch",
            f"{unit.id} is not an active branch",
            f"{unit.id} không phải chi bộ đang hoạt động",
        )
