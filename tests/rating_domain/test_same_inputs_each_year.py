"""The same member's inputs rated in 2020, 2024 and 2025 give each rule set's answer."""

from __future__ import annotations

from datetime import date

from rating.domain.member_rating import rate_member
from rating.domain.member_year import DisciplineCase

from .builders import assessed, member, rules


def level(year: int, **changes: object) -> str | None:
    return rate_member(member(year, **changes), rules(year).member).level


def test_forty_percent_exceeded_is_excellent_in_2020_and_2025_but_good_in_2024() -> None:
    inputs = {"self_assessment": assessed(95, total=10, exceeded=4), "appraisal_level": "excellent"}
    # 2020: the committee judges the criteria in words; 2024: QĐ 124 asks ≥ 50% exceeded;
    # 2025: QĐ 366 asks ≥ 30% and 90 points.
    assert (level(2020, **inputs), level(2024, **inputs), level(2025, **inputs)) == (
        "excellent",
        "good",
        "excellent",
    )


def test_a_self_reported_and_remedied_violation_counts_only_until_2022() -> None:
    inputs = {"self_assessment": assessed(80, level="good"), "appraisal_level": "good"}
    for year in (2020, 2024, 2025):
        case = DisciplineCase("reprimand", date(year, 5, 5), year, True, True)
        expected = "not_completed" if year == 2020 else "good"
        assert level(year, disciplines=(case,), **inputs) == expected, year


def test_before_2025_the_committees_words_decide_where_2025_needs_points() -> None:
    judged_only = {"appraisal_level": "good"}
    assert level(2021, **judged_only) == "good"
    assert level(2024, **judged_only) == "good"
    assert level(2025, **judged_only) is None  # no self-assessment: no points


def test_four_months_of_sick_leave_caps_at_completed_until_2024_not_in_2025() -> None:
    inputs = {
        "self_assessment": assessed(95, total=10, exceeded=6),
        "appraisal_level": "excellent",
        "sick_leave_months": 4,
    }
    assert (level(2020, **inputs), level(2024, **inputs), level(2025, **inputs)) == (
        "completed",
        "completed",
        "excellent",
    )


def test_suspended_members_were_rated_in_2018_and_not_from_2019() -> None:
    inputs = {"appraisal_level": "completed", "suspended": True}
    assert level(2018, **inputs) == "completed"
    assert level(2019, **inputs) is None
