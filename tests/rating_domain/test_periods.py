"""Property over random membership histories (registration, transfers, leaving): the months a
member owes reports in never overlap between periods, never pass twelve, and leave months
owe nothing; so no share of reports on time can pass 100%."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rating.domain.periods import due_by_month, months_covered

YEAR = 2025


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[date, date | None, int]]:
    """Periods as the facts projection builds them from a member's events: a transfer on D
    closes the open period on D − 1 and opens the next on D."""
    starts = sorted(
        draw(st.sets(st.dates(date(YEAR - 1, 6, 1), date(YEAR, 12, 31)), min_size=1, max_size=5))
    )
    left = draw(st.none() | st.dates(starts[-1], date(YEAR + 1, 3, 1)))
    periods: list[tuple[date, date | None, int]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else left
        periods.append((start, end, draw(st.integers(0, 3))))
    return periods


@settings(max_examples=300, deadline=None)
@given(histories(), st.sets(st.integers(1, 12), max_size=6))
def test_months_owed_never_overlap_and_leave_owes_nothing(
    periods: list[tuple[date, date | None, int]], away: set[int]
) -> None:
    seen: list[int] = []
    for start, end, _ in periods:
        seen += months_covered(start, end, YEAR)
    assert len(seen) == len(set(seen)) <= 12  # each month in at most one period
    due = due_by_month(periods, YEAR, away)
    assert not set(due) & away
    assert all(0 < n <= 3 for n in due.values())  # one period's assignments per month
