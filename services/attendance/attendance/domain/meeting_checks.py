"""Checks on a meeting-book command's own inputs, needing no other meeting of the book:
moments inside the book's year, a regular meeting kept in its month, plausible times for a
held meeting, and the reason that a postponement, cancellation or correction must give.

Apart from the book so its commands read as the rules that span meetings and the events
they record; the messages are what a secretary sees, in English and Vietnamese.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chibo_kernel.clock import local_date, month_of
from chibo_kernel.errors import RuleViolation

from .meeting import Meeting

# A clock a few minutes fast on the secretary's phone should not refuse a meeting just ended.
CLOCK_SKEW = timedelta(minutes=5)
LONGEST_MEETING = timedelta(hours=12)


def month_vi(month: str) -> str:
    """A month (YYYY-MM) as Vietnamese text writes it: mm/yyyy."""
    return f"{month[5:]}/{month[:4]}"


def require_in_year(moment: datetime, year: int) -> None:
    day = local_date(moment)
    if day.year != year:
        raise RuleViolation(
            "outside_year",
            f"{day} is outside {year}, the year of this meeting book",
            f"ngày {day:%d/%m/%Y} không thuộc năm {year} của sổ sinh hoạt",
        )


def require_own_month(meeting: Meeting, moment: datetime, then_en: str, then_vi: str) -> None:
    """A regular meeting is its month's: moved or held in another, it is another meeting."""
    if meeting.kind == "regular" and month_of(moment) != meeting.month:
        raise RuleViolation(
            "regular_meeting_leaves_month",
            f"a regular meeting is the meeting of {meeting.month}; {then_en}",
            f"cuộc họp thường kỳ là cuộc họp của tháng {month_vi(meeting.month)}; {then_vi}",
        )


def check_held_times(started_at: datetime, ended_at: datetime, now: datetime) -> None:
    if ended_at <= started_at:
        raise RuleViolation(
            "times_out_of_order",
            "a meeting must end after it starts",
            "giờ kết thúc phải sau giờ bắt đầu",
        )
    if ended_at - started_at > LONGEST_MEETING:
        raise RuleViolation(
            "meeting_too_long",
            "a meeting longer than 12 hours is a typing mistake; check the times",
            "cuộc họp dài hơn 12 giờ là nhập nhầm; hãy kiểm tra lại giờ",
        )
    if ended_at > now + CLOCK_SKEW:
        raise RuleViolation(
            "held_in_future",
            "a meeting can be recorded as held only after it has ended",
            "chỉ ghi nhận cuộc họp đã tổ chức sau khi cuộc họp kết thúc",
        )


def require_reason(reason: str, what_en: str, what_vi: str) -> None:
    if not reason.strip():
        raise RuleViolation(
            "reason_required", f"a {what_en} needs a reason", f"{what_vi} phải có lý do"
        )


def require_topic(kind: str, topic: str) -> None:
    if kind == "thematic" and not topic.strip():
        raise RuleViolation(
            "topic_required",
            "a thematic meeting needs its topic",
            "sinh hoạt chuyên đề phải có chủ đề",
        )


def require_extra_reason(branch_name: str, month: str, extra_reason: str | None) -> None:
    """One regular meeting a month (Điều lệ Đảng art. 24 cl. 2); another needs its reason."""
    if not (extra_reason or "").strip():
        raise RuleViolation(
            "second_regular_meeting",
            f"{branch_name} already has a regular meeting in {month}; give the "
            "reason for another, or schedule a thematic or extraordinary meeting",
            f"{branch_name} đã có cuộc họp thường kỳ tháng {month[5:]}/{month[:4]}; "
            "nêu lý do họp thêm, hoặc lên lịch sinh hoạt chuyên đề hay bất thường",
        )
