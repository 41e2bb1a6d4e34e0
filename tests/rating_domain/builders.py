"""Builders for the rating domain's tests: a member's year with sensible defaults (a full
year of reports on time, no self-assessment), changed one clause at a time."""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import cache
from typing import Any

from rating.adapters.rule_files import load_rule_book
from rating.domain.member_year import MemberYear, SelfAssessment, TaskRecord
from rating.domain.rule_book import RuleBook
from rating.domain.rule_set import RuleSet


@cache
def book() -> RuleBook:
    return load_rule_book()


def rules(year: int) -> RuleSet:
    return book().for_year(year)


def reports(expected: int = 12, done: int | None = None, on_time: int | None = None) -> TaskRecord:
    done = expected if done is None else done
    return TaskRecord(expected, done, done if on_time is None else on_time)


def assessed(
    points: float = 95,
    *,
    total: int = 10,
    exceeded: int = 4,
    fixed: bool = True,
    level: str = "excellent",
) -> SelfAssessment:
    """A self-assessment: 30 general points at most, the rest task points."""
    general = min(points, 30.0)
    return SelfAssessment(general, points - general, total, total, exceeded, fixed, level)  # type: ignore[arg-type]


def member(year: int = 2025, **changes: Any) -> MemberYear:
    base = MemberYear(
        member_id="dv-1",
        full_name="Lý Văn Bình",
        year=year,
        admission_date=date(2001, 3, 2),
        reports=reports(),
        last_report_month=12,
    )
    return dataclasses.replace(base, **changes)
