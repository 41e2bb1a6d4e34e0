"""Which months of a year a member owes reports in: one report per assignment for each month
whose 15th falls in a period of membership in the branch that assigned it, and none in a
month on leave. Periods come from registrations and transfers (a transfer on day D closes
the old period on D − 1 and opens the new one on D), so no month belongs to two periods."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def months_covered(start: date, end: date | None, year: int) -> list[int]:
    """Months of `year` whose 15th falls in the period: a member transferred in on 15 June
    reports from June, one transferred in on the 16th from July."""
    return [
        m
        for m in range(1, 13)
        if start <= date(year, m, 15) and (end is None or end >= date(year, m, 15))
    ]


def due_by_month(
    periods: Iterable[tuple[date, date | None, int]], year: int, away: Iterable[int] = ()
) -> dict[int, int]:
    """Reports due per month: `periods` are (from, to, assignments held in that period)."""
    skip = set(away)
    due: dict[int, int] = {}
    for start, end, duties in periods:
        if not duties:
            continue
        for month in months_covered(start, end, year):
            if month not in skip:
                due[month] = due.get(month, 0) + duties
    return due
