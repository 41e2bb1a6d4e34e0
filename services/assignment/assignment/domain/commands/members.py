"""Commands on a member's record and standing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message, Saved

from ..events import MemberStatus, Role
from ..imports import ImportJob


@dataclass(frozen=True)
class RegisterMember(Message[tuple[str, Saved]]):
    """Answers the new member's id with what was stored. `attending_since`: the day the
    member began attending the branch, by default their admission; `today`: Vietnam's, by
    default, which it may not be after."""

    full_name: str
    branch_id: str
    admission_date: date
    status: MemberStatus
    card_number: str
    birth_date: date
    member_id: str | None = None
    attending_since: date | None = None
    today: date | None = None


@dataclass(frozen=True)
class CorrectIdentity(Message[Saved]):
    """The name, card number or birth date as the member says they are; None: unchanged."""

    member_id: str
    full_name: str | None = None
    card_number: str | None = None
    birth_date: date | None = None


@dataclass(frozen=True)
class GiveRole(Message[Saved]):
    member_id: str
    role: Role
    since: date


@dataclass(frozen=True)
class ConfirmMember(Message[Saved]):
    member_id: str
    on: date


@dataclass(frozen=True)
class ExemptMember(Message[Saved]):
    member_id: str
    from_date: date
    to_date: date | None
    reason: str


@dataclass(frozen=True)
class SuspendMember(Message[Saved]):
    member_id: str
    from_date: date
    to_date: date | None
    reason: str


@dataclass(frozen=True)
class MemberLeaves(Message[Saved]):
    member_id: str
    on: date
    reason: str


@dataclass(frozen=True)
class AttendTemporarily(Message[Saved]):
    """Sinh hoạt tạm thời at another branch."""

    member_id: str
    host_branch_id: str
    from_date: date
    to_date: date


@dataclass(frozen=True)
class TransferMember(Message[Saved]):
    member_id: str
    to_branch_id: str
    on: date


@dataclass(frozen=True)
class ImportMembers(Message[ImportJob]):
    """A member export (CSV or XLSX) read as a job; answers the job as it starts. Each row
    is registered only where whoever started it may register members."""

    filename: str
    content: bytes
