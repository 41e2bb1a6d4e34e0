"""The assignment service's events about a member's membership of a branch: registration,
roles, exemption, suspension, transfer, confirmation, temporary attendance and leaving. Part
of the published language gathered in `contracts.assignment`.

Card numbers and birth dates go in `MemberIdentityRecorded`, which is never published and
lives in a `member_private-<id>` stream of its own, so `member-<id>` keeps gap-free versions.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from chibo_kernel.events import DomainEvent

MemberStatus = Literal["full", "probationary"]
Role = Literal["secretary", "deputy_secretary", "committee_member"]


class MemberRegistered(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_registered.v1"
    member_id: str
    full_name: str
    branch_id: str
    admission_date: date
    status: MemberStatus


class MemberIdentityRecorded(DomainEvent):
    """Master data from the national member database; personal, so never published."""

    event_type: ClassVar[str] = "chibo.assignment.member_identity_recorded.v1"
    published: ClassVar[bool] = False
    member_id: str
    card_number: str
    birth_date: date


class MemberRoleGiven(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_role_given.v1"
    member_id: str
    branch_id: str
    role: Role
    since: date


class MemberExempted(DomainEvent):
    """Miễn công tác và sinh hoạt đảng: no tasks, not expected at meetings, not rated."""

    event_type: ClassVar[str] = "chibo.assignment.member_exempted.v1"
    member_id: str
    branch_id: str
    from_date: date
    to_date: date | None
    reason: str


class MemberTransferred(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_transferred.v1"
    member_id: str
    from_branch_id: str
    to_branch_id: str
    on: date


class MemberSuspended(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_suspended.v1"
    member_id: str
    branch_id: str
    from_date: date
    to_date: date | None
    reason: str


class MemberConfirmed(DomainEvent):
    """A probationary member recognised as a full member (công nhận đảng viên chính thức)."""

    event_type: ClassVar[str] = "chibo.assignment.member_confirmed.v1"
    member_id: str
    branch_id: str
    on: date


class TemporaryAttendanceStarted(DomainEvent):
    """Sinh hoạt tạm thời: full rights at the host branch except voting and standing."""

    event_type: ClassVar[str] = "chibo.assignment.temporary_attendance_started.v1"
    member_id: str
    home_branch_id: str
    host_branch_id: str
    from_date: date
    to_date: date


class MemberLeft(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_left.v1"
    member_id: str
    branch_id: str
    on: date
    reason: str
