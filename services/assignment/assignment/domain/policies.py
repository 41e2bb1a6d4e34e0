"""What happens to the plan when a member's standing changes: their households are
released at once, in the same append as the change, so none is silently orphaned."""

from __future__ import annotations

from datetime import date

from .member import Member
from .org import OrgUnit
from .plan import Plan


def when_member_transfers_release_households(
    member: Member, to_branch: OrgUnit, on: date, plan: Plan | None
) -> None:
    member.transfer(to_branch, on)
    if plan is not None:
        plan.release(member.id, "transferred")


def when_member_is_exempted_release_households(
    member: Member, *, from_date: date, to_date: date | None, reason: str, plan: Plan | None
) -> None:
    member.exempt(from_date=from_date, to_date=to_date, reason=reason)
    if plan is not None:
        plan.release(member.id, "exempted")


def when_member_is_suspended_release_households(
    member: Member, *, from_date: date, to_date: date | None, reason: str, plan: Plan | None
) -> None:
    member.suspend(from_date=from_date, to_date=to_date, reason=reason)
    if plan is not None:
        plan.release(member.id, "suspended")


def when_member_leaves_release_households(
    member: Member, *, on: date, reason: str, plan: Plan | None
) -> None:
    member.leave(on, reason)
    if plan is not None:
        plan.release(member.id, "left")
