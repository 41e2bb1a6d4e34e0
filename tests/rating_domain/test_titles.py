"""Multi-year titles from every year's decided level."""

from __future__ import annotations

from rating.domain.titles import run_of_years, years_in_a_row

from .builders import book

NEEDED = book().charter.award_years


def test_five_years_in_a_row_excellent_reach_the_award() -> None:
    decided = {y: "excellent" for y in range(2021, 2026)}
    run = run_of_years(decided, 2025, NEEDED)  # type: ignore[arg-type]
    assert (run.excellent_years, run.good_years, run.eligible) == (5, 5, True)
    assert "5 năm liền" in run.reason.vi
    assert "01-HD/TW" in run.reason.source


def test_a_good_year_or_a_year_without_a_decision_breaks_the_run() -> None:
    decided = {
        2020: "excellent",
        2021: "good",
        2022: "excellent",
        2024: "excellent",
        2025: "excellent",
    }
    assert years_in_a_row(decided, 2025, frozenset({"excellent"})) == 2  # type: ignore[arg-type]
    assert not run_of_years(decided, 2025, NEEDED).eligible  # type: ignore[arg-type]
    assert run_of_years(decided, 2022, NEEDED).good_years == 3  # type: ignore[arg-type]
