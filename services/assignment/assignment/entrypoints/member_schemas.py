"""Bodies of the member routes: registering a member, correcting who they are, and
recording roles, standing and transfers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import StringConstraints

# The answer to a command, re-exported so routes read every body of a resource from one module.
from chibo_chassis.http import Accepted as Accepted

from ..domain.events import MemberStatus, Role
from .schemas import Body, Id, Name, Reason

Digits = Annotated[str, StringConstraints(pattern=r"^[0-9]{6,12}$")]


class RegisterMember(Body):
    full_name: Name
    branch_id: Id
    admission_date: date
    status: MemberStatus = "full"
    card_number: Digits
    birth_date: date
    # The day the member began attending this branch (sinh hoạt tại chi bộ), on or after
    # the admission and not after today; left out: the admission date.
    attending_since: date | None = None


class CorrectIdentity(Body):
    """Any of the three; what is left out stays as recorded."""

    full_name: Name | None = None
    card_number: Digits | None = None
    birth_date: date | None = None


class GiveRole(Body):
    role: Role
    since: date


class Exempt(Body):
    from_date: date
    to_date: date | None = None
    reason: Reason


class Transfer(Body):
    to_branch_id: Id
    on: date


class Suspend(Body):
    from_date: date
    to_date: date | None = None
    reason: Reason


class Leave(Body):
    on: date
    reason: Reason


class Confirm(Body):
    on: date


class TemporaryAttendance(Body):
    host_branch_id: Id
    from_date: date
    to_date: date


class MemberAccepted(Accepted):
    member_id: str
