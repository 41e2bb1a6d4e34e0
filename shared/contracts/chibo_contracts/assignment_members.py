"""The assignment service's events about a member's membership of a branch: registration,
roles, exemption, suspension, transfer, confirmation, temporary attendance and leaving. Part
of the published language gathered in `contracts.assignment`.

Card numbers and birth dates go in `MemberIdentityRecorded`, which is never published and
lives in a `member_private-<id>` stream of its own, so `member-<id>` keeps gap-free versions.
Why a member was exempted, suspended or left is often a diagnosis or a discipline (sensitive
data, Law 91/2025): version 2 of those events carries the dates only, and the reason goes in
a private companion appended with it to `member_standing_private-<id>`. Version 1 stays so
that the events already stored and published still decode; the service no longer emits it.

A member's name travels sealed (`sealed_on_stream`): version 2 of the registration and the
renaming carry it under the member's key, which every service of the province opens with
the shared keyring, and nobody can once the member is erased (the name then reads None).
The facts rosters and counts are built on (branch, admission date, status) stay readable.
Version 3 of the registration adds the day the member began attending the branch, where
rosters and counts start (versions 1 and 2 start them at the admission date).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import IDENTIFIER, PERSONAL, PSEUDONYMOUS, SENSITIVE

MemberStatus = Literal["full", "probationary"]
Role = Literal["secretary", "deputy_secretary", "committee_member"]
MemberId = Annotated[str, IDENTIFIER]


class MemberRegistered(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_registered.v1"
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    full_name: Annotated[str, PERSONAL]
    branch_id: str
    admission_date: Annotated[date, PERSONAL]
    status: MemberStatus


class MemberRegisteredV2(DomainEvent):
    """A new member. The name is sealed under the member's key; the admission date, branch
    and status stay readable, so rosters and counts survive the member's erasure."""

    event_type: ClassVar[str] = "chibo.assignment.member_registered.v2"
    data_subject: ClassVar[str | None] = "member_id"
    sealed_on_stream: ClassVar[bool] = True
    member_id: MemberId
    full_name: Annotated[str, PERSONAL]
    branch_id: str
    admission_date: Annotated[date, PSEUDONYMOUS]
    status: MemberStatus


class MemberRegisteredV3(DomainEvent):
    """A new member and the day they began attending this branch (`attending_since`, on or
    after the admission): rosters, expected attendance and reports start then, so a member
    entered late changes nothing recorded before it. Sealed like version 2."""

    event_type: ClassVar[str] = "chibo.assignment.member_registered.v3"
    data_subject: ClassVar[str | None] = "member_id"
    sealed_on_stream: ClassVar[bool] = True
    member_id: MemberId
    full_name: Annotated[str, PERSONAL]
    branch_id: str
    admission_date: Annotated[date, PSEUDONYMOUS]
    status: MemberStatus
    attending_since: Annotated[date, PSEUDONYMOUS]


def attending_since(registered: MemberRegistered | MemberRegisteredV2 | MemberRegisteredV3) -> date:
    """The day a registration's rosters and counts start, whichever version told it: version
    3 says when the member began attending the branch; versions 1 and 2 knew only the
    admission, where they started before version 3 existed."""
    if isinstance(registered, MemberRegisteredV3):
        return registered.attending_since
    return registered.admission_date


class MemberRenamed(DomainEvent):
    """The member's name corrected (the right to correction, Law 91/2025/QH15 art. 4 cl. 1
    c and art. 13); sealed under the member's key like the registration's."""

    event_type: ClassVar[str] = "chibo.assignment.member_renamed.v1"
    data_subject: ClassVar[str | None] = "member_id"
    sealed_on_stream: ClassVar[bool] = True
    member_id: MemberId
    full_name: Annotated[str, PERSONAL]


class MemberIdentityRecorded(DomainEvent):
    """Master data from the national member database; personal, so never published."""

    event_type: ClassVar[str] = "chibo.assignment.member_identity_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    card_number: Annotated[str, PERSONAL]
    birth_date: Annotated[date, PERSONAL]


class MemberIdentityCorrected(DomainEvent):
    """The card number and birth date as corrected (both, whichever changed); beside
    `MemberIdentityRecorded` in `member_private-<id>`, never published."""

    event_type: ClassVar[str] = "chibo.assignment.member_identity_corrected.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    card_number: Annotated[str, PERSONAL]
    birth_date: Annotated[date, PERSONAL]


class MemberRoleGiven(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_role_given.v1"
    member_id: MemberId
    branch_id: str
    role: Role
    since: date


class MemberExempted(DomainEvent):
    """Miễn công tác và sinh hoạt đảng: no tasks, not expected at meetings, not rated."""

    # Superseded by v2 (its reason went to every subscriber); a docstring edit would change
    # the committed schema, so the notes on version 1 classes are comments.

    event_type: ClassVar[str] = "chibo.assignment.member_exempted.v1"
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    branch_id: str
    from_date: date
    to_date: date | None
    reason: Annotated[str, SENSITIVE]


class MemberExemptedV2(DomainEvent):
    """Miễn công tác và sinh hoạt đảng: no tasks, not expected at meetings, not rated. The
    reason is in `ExemptionReasonRecorded`, appended with it."""

    event_type: ClassVar[str] = "chibo.assignment.member_exempted.v2"
    member_id: MemberId
    branch_id: str
    from_date: date
    to_date: date | None


class ExemptionReasonRecorded(DomainEvent):
    """Why the exemption from `from_date` was granted (often an illness): never published."""

    event_type: ClassVar[str] = "chibo.assignment.exemption_reason_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    from_date: date
    reason: Annotated[str, SENSITIVE]


class MemberTransferred(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.member_transferred.v1"
    member_id: MemberId
    from_branch_id: str
    to_branch_id: str
    on: date


class MemberSuspended(DomainEvent):
    # Superseded by v2: its reason went to every subscriber.

    event_type: ClassVar[str] = "chibo.assignment.member_suspended.v1"
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    branch_id: str
    from_date: date
    to_date: date | None
    reason: Annotated[str, SENSITIVE]


class MemberSuspendedV2(DomainEvent):
    """Đình chỉ sinh hoạt đảng; the reason is in `SuspensionReasonRecorded`."""

    event_type: ClassVar[str] = "chibo.assignment.member_suspended.v2"
    member_id: MemberId
    branch_id: str
    from_date: date
    to_date: date | None


class SuspensionReasonRecorded(DomainEvent):
    """Why the suspension from `from_date` was decided (a discipline): never published."""

    event_type: ClassVar[str] = "chibo.assignment.suspension_reason_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    from_date: date
    reason: Annotated[str, SENSITIVE]


class MemberConfirmed(DomainEvent):
    """A probationary member recognised as a full member (công nhận đảng viên chính thức)."""

    event_type: ClassVar[str] = "chibo.assignment.member_confirmed.v1"
    member_id: MemberId
    branch_id: str
    on: date


class TemporaryAttendanceStarted(DomainEvent):
    """Sinh hoạt tạm thời: full rights at the host branch except voting and standing."""

    event_type: ClassVar[str] = "chibo.assignment.temporary_attendance_started.v1"
    member_id: MemberId
    home_branch_id: str
    host_branch_id: str
    from_date: date
    to_date: date


class MemberLeft(DomainEvent):
    # Superseded by v2: its reason went to every subscriber.

    event_type: ClassVar[str] = "chibo.assignment.member_left.v1"
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    branch_id: str
    on: date
    reason: Annotated[str, SENSITIVE]


class MemberLeftV2(DomainEvent):
    """Gone from the Party's rolls; the reason is in `LeavingReasonRecorded`."""

    event_type: ClassVar[str] = "chibo.assignment.member_left.v2"
    member_id: MemberId
    branch_id: str
    on: date


class LeavingReasonRecorded(DomainEvent):
    """Why the member left (death, removal, withdrawal): never published."""

    event_type: ClassVar[str] = "chibo.assignment.leaving_reason_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: MemberId
    on: date
    reason: Annotated[str, SENSITIVE]
