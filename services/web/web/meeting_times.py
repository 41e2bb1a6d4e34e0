"""Days and clock times as secretaries write them (dd/mm/yyyy, 19:30 or 19h30), in
Vietnam's time (UTC+7), turned into the aware times the attendance service records."""

from __future__ import annotations

import datetime as dt
import re

VIETNAM = dt.timezone(dt.timedelta(hours=7))
_DAY = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2})\s*(?:[:.hH]\s*(\d{2})?|(\d{2}))?\s*$")

BAD_DAY = (
    "Ngày chưa đúng: xin ghi theo mẫu ngày/tháng/năm, ví dụ 05/03/2026.",
    "The day is not right: please write it as day/month/year, e.g. 05/03/2026.",
)
BAD_CLOCK = (
    "Giờ chưa đúng: xin ghi giờ:phút, ví dụ 19:30.",
    "The time is not right: please write hours:minutes, e.g. 19:30.",
)
MISSING = ("Xin điền mục này.", "Please fill this in.")


def parse_day(text: str) -> dt.date | None:
    found = _DAY.match(text or "")
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_clock(text: str) -> dt.time | None:
    """ "19:30", "19.30", "19h30", "19h", "1930" → 19:30."""
    found = _CLOCK.match(text or "")
    if found is None:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2) or found.group(3) or 0)
    if hours > 23 or minutes > 59:
        return None
    return dt.time(hours, minutes)


def at(day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=VIETNAM)


def local(value: str | None) -> dt.datetime | None:
    """An ISO time from a service, in Vietnam's time."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(VIETNAM)


def day_text(value: dt.datetime | dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def clock_text(value: dt.datetime | None) -> str:
    return value.strftime("%H:%M") if value else ""


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def field_error(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]
