"""What happens to the plan when a member's standing changes: their households and duties
are released at once, in the same append as the change, so none is silently orphaned."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .member import Member
from .org import OrgUnit
from .plan import Plan
from .private_texts import StandingReasons


def when_member_transfers_release_households(
    member: Member, to_branch: OrgUnit, on: date, plan: Plan | None
) -> None:
    member.transfer(to_branch, on)
    if plan is not None:
        plan.release(member.id, "transferred")


def when_member_is_exempted_release_households(
    member: Member,
    *,
    from_date: date,
    to_date: date | None,
    reason: str,
    reasons: StandingReasons,
    plan: Plan | None,
) -> None:
    exempted = member.exempt(from_date=from_date, to_date=to_date, reason=reason, reasons=reasons)
    if exempted and plan is not None:
        plan.release(member.id, "exempted")


def when_member_is_suspended_release_households(
    member: Member,
    *,
    from_date: date,
    to_date: date | None,
    reason: str,
    reasons: StandingReasons,
    plan: Plan | None,
) -> None:
    suspended = member.suspend(from_date=from_date, to_date=to_date, reason=reason, reasons=reasons)
    if suspended and plan is not None:
        plan.release(member.id, "suspended")


def when_member_leaves_release_households(
    member: Member, *, on: date, reason: str, reasons: StandingReasons, plan: Plan | None
) -> None:
    member.leave(on, reason, reasons)
    if plan is not None:
        plan.release(member.id, "left")


def when_member_attends_elsewhere_release_households(
    member: Member, host: OrgUnit, *, from_date: date, to_date: date, plans: Iterable[Plan]
) -> None:
    """Sinh hoạt tạm thời, which is also how a member who goes to work far away (đi làm ăn
    xa) keeps party life where they work: the home branch's plans for the years of the
    period release what the member held. The contract has no reason of its own for it, so the
    release says "transferred", the Party's own word for it being a temporary transfer of
    party activity (chuyển sinh hoạt đảng tạm thời); the member's
    `temporary_attendance_started` in the same append tells the two apart."""
    if not member.attend_temporarily(host, from_date=from_date, to_date=to_date):
        return  # already recorded: a repeat releases nothing again
    for plan in plans:
        plan.release(member.id, "transferred")
