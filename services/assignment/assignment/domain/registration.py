"""A member's registration: the public facts it records, with the day the member began
attending the branch (`attending_since`). Rosters and counts start on that day, so it is
never before the admission (nobody attends as a member before being one) nor after today (a
day to come would leave the member off every roster until then, unseen)."""

from __future__ import annotations

from datetime import date
from typing import NotRequired, TypedDict, Unpack

from .errors import refuse
from .events import MemberRegisteredV3, MemberStatus
from .grassroots_cell import require_member_unit
from .names import clean_name
from .org import OrgUnit


class Registration(TypedDict):
    full_name: str
    branch: OrgUnit
    admission_date: date
    status: MemberStatus
    attending_since: NotRequired[date | None]  # None: since the admission
    today: NotRequired[date | None]  # None: the day is not checked against today


def registered(member_id: str, **facts: Unpack[Registration]) -> MemberRegisteredV3:
    require_member_unit(facts["branch"])
    name = clean_name(facts["full_name"])
    admission = facts["admission_date"]
    since = facts.get("attending_since") or admission
    problem = attending_since_problem(name, admission, since, facts.get("today"))
    if problem is not None:
        raise refuse(*problem)
    return MemberRegisteredV3(
        member_id=member_id,
        full_name=name,
        branch_id=facts["branch"].id,
        admission_date=admission,
        status=facts["status"],
        attending_since=since,
    )


def attending_since_problem(
    name: str, admission: date, since: date, today: date | None
) -> tuple[str, str, str] | None:
    """Why `since` cannot be the day the member named began attending the branch: (code,
    English, Vietnamese); None when it can."""
    if since < admission:
        return (
            "attending_before_admission",
            f"{name} cannot have begun attending the branch on {_dmy(since)}, before their "
            f"admission to the Party on {_dmy(admission)}",
            f"Đảng viên {name} không thể sinh hoạt tại chi bộ từ ngày {_dmy(since)}, trước "
            f"ngày vào Đảng {_dmy(admission)}",
        )
    if today is not None and since > today:
        return (
            "attending_in_future",
            f"{name} cannot have begun attending the branch on {_dmy(since)}: that day is "
            "still to come",
            f"Ngày sinh hoạt tại chi bộ của đảng viên {name} ({_dmy(since)}) là ngày trong "
            "tương lai",
        )
    return None


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")
