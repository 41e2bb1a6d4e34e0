"""Charter art. 8: a member who, without good reason, leaves party meetings or does not pay
dues in three months of a year is considered for removal (xóa tên). It is its own procedure
(the flag, the branch's proposal, the competent level's decision), not a rating level."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .cited import Reason
from .rule_set import Charter


@dataclass(frozen=True, slots=True)
class RemovalFlag:
    member_id: str
    months: tuple[str, ...]  # every month counted, in order
    meeting_months: tuple[str, ...]
    dues_months: tuple[str, ...]
    reason: Reason


def removal_flag(
    member_id: str,
    meeting_months: Iterable[str],
    dues_months: Iterable[str],
    charter: Charter,
) -> RemovalFlag | None:
    """The flag as soon as either count reaches the Charter's (not necessarily in a row);
    None before. The text names two failings, "bỏ sinh hoạt đảng hoặc không đóng đảng phí",
    each counted on its own: two months of each is not yet a flag."""
    meetings = tuple(sorted(set(meeting_months)))
    dues = tuple(sorted(set(dues_months)))
    needed = charter.removal_months
    if max(len(meetings), len(dues)) < needed.value:
        return None
    months = tuple(sorted(set(meetings) | set(dues)))
    listed = ", ".join(months)
    reason = Reason(
        "removal_review",
        f"without good reason in {len(months)} months of the year ({listed}): the branch "
        "considers proposing removal",
        f"{len(months)} tháng trong năm bỏ sinh hoạt hoặc không đóng đảng phí không có lý do "
        f"chính đáng ({listed}): chi bộ xem xét, đề nghị xóa tên",
        needed.source,
    )
    return RemovalFlag(member_id, months, meetings, dues, reason)
