"""The province works in Vietnam's time (UTC+7, no daylight saving): a meeting's day and month
are those of the branch's clock, whatever offset a client sent its times with."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from .errors import RuleViolation

VIETNAM = timezone(timedelta(hours=7), "ICT")


def vietnam_today() -> date:
    """Today as the branches count days: between 00:00 and 07:00 in Vietnam the server's
    UTC day is still yesterday."""
    return datetime.now(VIETNAM).date()


def local_date(moment: datetime) -> date:
    try:
        return moment.astimezone(VIETNAM).date()
    except OverflowError:  # year 1 or 9999 in another offset: before or after any calendar
        raise RuleViolation(
            "time_out_of_range",
            f"{moment.isoformat()} falls outside the calendar in Vietnam's time",
            f"{moment.isoformat()} nằm ngoài lịch theo giờ Việt Nam",
        ) from None


def month_of(moment: datetime) -> str:
    return local_date(moment).strftime("%Y-%m")


def month_of_day(day: date) -> str:
    return day.strftime("%Y-%m")
