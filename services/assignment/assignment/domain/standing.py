"""Duties follow standing: households and tasks go only to a member who can carry them.

A member exempt from work and meetings (miễn công tác và sinh hoạt đảng), suspended
(đình chỉ sinh hoạt đảng), attending another branch for a time (sinh hoạt tạm thời) or gone
from the Party is given no households, groups, routes or tasks in their branch while that
lasts. An assignment stands from the day it is given to the end of the plan's year, so a
standing recorded in advance that begins within those days refuses it as well; recording
such a standing releases what the member held (`policies.py`), and this keeps the branch
from handing it straight back.
"""

from __future__ import annotations

from datetime import date

from chibo_kernel.keyring import ERASED_VI

from .errors import refuse
from .member import Member


def duty_days(year: int, today: date) -> tuple[date, date]:
    """The days an assignment given `today` to the plan of `year` stands: from today, or
    from the first day of a plan drafted ahead, or the last day of a past year's plan
    entered late, to the end of that year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return min(max(today, first), last), last


def require_free_for_duties(
    member: Member, *, year: int, today: date, host_name: str | None = None
) -> None:
    """Refuses, naming the member, when their standing keeps them from duties in `year`;
    `host_name`: the name of the branch they attend for a time, if any."""
    start, end = duty_days(year, today)
    name = member.full_name or ERASED_VI
    if member.left_on is not None and member.left_on <= end:
        on = member.left_on
        raise refuse(
            "member_left",
            f"member {name} left the Party on {on.isoformat()}: no households or tasks",
            f"đảng viên {name} đã ra khỏi Đảng ngày {_vi(on)}: không giao hộ hay nhiệm vụ",
        )
    if period := _within(member.exempt_from, member.exempt_to, start, end):
        en, vi = period
        raise refuse(
            "member_exempt",
            f"member {name} is exempt from work and meetings {en}: "
            "no households or tasks for those days",
            f"đảng viên {name} được miễn công tác và sinh hoạt đảng {vi}: "
            "không giao hộ hay nhiệm vụ trong thời gian đó",
        )
    if period := _within(member.suspended_from, member.suspended_to, start, end):
        en, vi = period
        raise refuse(
            "member_suspended",
            f"member {name} is suspended {en}: no households or tasks for those days",
            f"đảng viên {name} bị đình chỉ sinh hoạt đảng {vi}: "
            "không giao hộ hay nhiệm vụ trong thời gian đó",
        )
    if period := _within(member.temporary_from, member.temporary_to, start, end):
        en, vi = period
        host = host_name or member.temporary_host
        raise refuse(
            "member_away",
            f"member {name} attends {host} temporarily {en}: "
            "their households and tasks here go to other members for that time",
            f"đảng viên {name} sinh hoạt tạm thời ở {host} {vi}: "
            "hộ và nhiệm vụ ở đây giao cho đảng viên khác trong thời gian đó",
        )


def _within(
    begins: date | None, ends: date | None, start: date, end: date
) -> tuple[str, str] | None:
    """The period in both languages when it shares a day with start..end, else None."""
    if begins is None or begins > end or (ends is not None and ends < start):
        return None
    if ends is None:
        return f"from {begins.isoformat()}", f"từ ngày {_vi(begins)}"
    span = f"{begins.isoformat()} to {ends.isoformat()}"
    return f"from {span}", f"từ ngày {_vi(begins)} đến ngày {_vi(ends)}"


def _vi(day: date) -> str:
    """A date as Vietnamese text writes it: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")
