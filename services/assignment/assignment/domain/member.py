"""A party member (đảng viên): their branch, standing and roles; why, in `StandingReasons`."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate
from chibo_kernel.keyring import ERASED_VI

from .errors import refuse
from .events import (
    ExemptionReasonRecorded,
    LeavingReasonRecorded,
    MemberConfirmed,
    MemberExempted,
    MemberExemptedV2,
    MemberLeft,
    MemberLeftV2,
    MemberRegistered,
    MemberRegisteredV2,
    MemberRegisteredV3,
    MemberRenamed,
    MemberRoleGiven,
    MemberSuspended,
    MemberSuspendedV2,
    MemberTransferred,
    Role,
    SuspensionReasonRecorded,
    TemporaryAttendanceStarted,
)
from .grassroots_cell import require_member_unit
from .org import OrgUnit
from .private_texts import StandingReasons
from .registration import Registration, registered

COMMITTEE_ROLES: frozenset[str] = frozenset({"secretary", "deputy_secretary", "committee_member"})


class Member(Aggregate):
    category = "member"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.full_name = ""
        self.branch_id = ""
        self.admission_date: date | None = None
        self.roles: set[str] = set()
        self.exempt_from: date | None = None
        self.exempt_to: date | None = None
        self.exempt_reason: str | None = None  # as told in v1; v2 tells StandingReasons
        self.status = "full"
        self.suspended_from: date | None = None
        self.suspended_to: date | None = None
        self.suspended_reason: str | None = None
        self.left_on: date | None = None
        self.temporary_host: str | None = None
        self.temporary_from: date | None = None
        self.temporary_to: date | None = None

    @property
    def on_committee(self) -> bool:
        return bool(self.roles & COMMITTEE_ROLES)

    def exempt_on(self, day: date) -> bool:
        if self.exempt_from is None or day < self.exempt_from:
            return False
        return self.exempt_to is None or day <= self.exempt_to

    def register(self, **facts: Unpack[Registration]) -> None:
        """The public facts only, as `registration.py` checks them: the card number and
        birth date go to `MemberIdentity`."""
        if self.exists:
            raise refuse("member_exists", "member already registered", "đảng viên đã có")
        self._emit(registered(self.id, **facts))

    def give_role(self, role: Role, since: date) -> None:
        self._require_registered()
        if role in self.roles:
            return  # already holds it: nothing happened, nothing to record
        self._emit(
            MemberRoleGiven(member_id=self.id, branch_id=self.branch_id, role=role, since=since)
        )

    def exempt(
        self, *, from_date: date, to_date: date | None, reason: str, reasons: StandingReasons
    ) -> bool:
        """False when the member is already exempt for that period and reason: a repeat of
        the same command records nothing again."""
        self._require_registered()
        if to_date is not None and to_date < from_date:
            raise refuse(
                "invalid_period",
                "an exemption cannot end before it starts",
                "thời gian miễn không thể kết thúc trước khi bắt đầu",
            )
        if not reason.strip():
            raise refuse("reason_required", "an exemption needs a reason", "miễn cần có lý do")
        told = reasons.exemption if self.exempt_reason is None else self.exempt_reason
        if (self.exempt_from, self.exempt_to, told) == (from_date, to_date, reason.strip()):
            return False
        self._emit(
            MemberExemptedV2(
                member_id=self.id, branch_id=self.branch_id, from_date=from_date, to_date=to_date
            )
        )
        reasons.record(
            ExemptionReasonRecorded(member_id=self.id, from_date=from_date, reason=reason.strip())
        )
        return True

    def transfer(self, to_branch: OrgUnit, on: date) -> None:
        self._require_registered()
        require_member_unit(to_branch)
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

    def suspend(
        self, *, from_date: date, to_date: date | None, reason: str, reasons: StandingReasons
    ) -> bool:
        """False when already suspended for that period and reason: nothing recorded."""
        self._require_registered()
        if to_date is not None and to_date < from_date:
            raise refuse(
                "invalid_period",
                "a suspension cannot end before it starts",
                "thời gian đình chỉ không thể kết thúc trước khi bắt đầu",
            )
        if not reason.strip():
            raise refuse("reason_required", "a suspension needs a reason", "đình chỉ cần có lý do")
        told = reasons.suspension if self.suspended_reason is None else self.suspended_reason
        if (self.suspended_from, self.suspended_to, told) == (from_date, to_date, reason.strip()):
            return False
        self._emit(
            MemberSuspendedV2(
                member_id=self.id, branch_id=self.branch_id, from_date=from_date, to_date=to_date
            )
        )
        reasons.record(
            SuspensionReasonRecorded(member_id=self.id, from_date=from_date, reason=reason.strip())
        )
        return True

    def confirm(self, on: date) -> None:
        self._require_registered()
        if self.status == "full":
            raise refuse(
                "already_full_member",
                "the member is already a full member",
                "đảng viên đã là đảng viên chính thức",
            )
        self._emit(MemberConfirmed(member_id=self.id, branch_id=self.branch_id, on=on))

    def attend_temporarily(self, host: OrgUnit, *, from_date: date, to_date: date) -> bool:
        """Sinh hoạt tạm thời for 3 to 12 months at another branch; False when already
        recorded for that branch and period (nothing recorded again)."""
        self._require_registered()
        require_member_unit(host)
        if host.id == self.branch_id:
            raise refuse(
                "same_branch",
                "temporary attendance is at another branch",
                "sinh hoạt tạm thời phải ở chi bộ khác",
            )
        months = (to_date.year - from_date.year) * 12 + to_date.month - from_date.month
        if not 3 <= months <= 12:
            raise refuse(
                "invalid_period",
                f"temporary attendance lasts 3 to 12 months, not {months}",
                f"sinh hoạt tạm thời từ 3 đến 12 tháng, không phải {months}",
            )
        if (self.temporary_host, self.temporary_from, self.temporary_to) == (
            host.id,
            from_date,
            to_date,
        ):
            return False
        self._emit(
            TemporaryAttendanceStarted(
                member_id=self.id,
                home_branch_id=self.branch_id,
                host_branch_id=host.id,
                from_date=from_date,
                to_date=to_date,
            )
        )
        return True

    def leave(self, on: date, reason: str, reasons: StandingReasons) -> None:
        self._require_registered()
        if not reason.strip():
            raise refuse("reason_required", "leaving needs a reason", "ra khỏi Đảng cần có lý do")
        self._emit(MemberLeftV2(member_id=self.id, branch_id=self.branch_id, on=on))
        reasons.record(LeavingReasonRecorded(member_id=self.id, on=on, reason=reason.strip()))

    def _require_registered(self) -> None:
        if not self.exists:
            raise refuse("member_unknown", f"no member {self.id}", f"không có đảng viên {self.id}")
        if self.left_on is not None:
            name = self.full_name or ERASED_VI
            raise refuse(
                "member_left",
                f"member {name} left the Party on {self.left_on.isoformat()}",
                f"đảng viên {name} đã ra khỏi Đảng ngày {self.left_on:%d/%m/%Y}",
            )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case MemberRegistered() | MemberRegisteredV2() | MemberRegisteredV3():
                self.full_name, self.branch_id = event.full_name, event.branch_id
                self.admission_date, self.status = event.admission_date, event.status
            case MemberRenamed():
                self.full_name = event.full_name
            case MemberConfirmed():
                self.status = "full"
            case MemberSuspended() | MemberSuspendedV2():
                self.suspended_from, self.suspended_to = event.from_date, event.to_date
                self.suspended_reason = getattr(event, "reason", None)  # v1 only
            case TemporaryAttendanceStarted():
                self.temporary_host = event.host_branch_id
                self.temporary_from, self.temporary_to = event.from_date, event.to_date
            case MemberLeft() | MemberLeftV2():
                self.left_on = event.on
                self.roles.clear()
            case MemberRoleGiven():
                self.roles.add(event.role)
            case MemberExempted() | MemberExemptedV2():
                self.exempt_from, self.exempt_to = event.from_date, event.to_date
                self.exempt_reason = getattr(event, "reason", None)  # v1 only
            case MemberTransferred():
                self.branch_id = event.to_branch_id
                self.roles.clear()  # roles belong to the branch left behind
