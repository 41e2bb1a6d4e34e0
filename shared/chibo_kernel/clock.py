"""The province works in Vietnam's time (UTC+7, no daylight saving): a meeting's day and month
are those of the branch's clock, whatever offset a client sent its times with."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def local_date(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


def month_of(moment: datetime) -> str:
    return local_date(moment).strftime("%Y-%m")


def month_of_day(day: date) -> str:
    return day.strftime("%Y-%m")
