"""Titles that need a run of years: every year's decided level is kept, and a unit or member
decided "hoàn thành xuất sắc nhiệm vụ" so many years in a row may be proposed for the
higher award (e.g. "trong sạch, vững mạnh tiêu biểu 5 năm liền")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chibo_contracts.rating import Level

from .cited import Cited, Reason

BEST: frozenset[Level] = frozenset({"excellent"})
GOOD_OR_BETTER: frozenset[Level] = frozenset({"excellent", "good"})


@dataclass(frozen=True, slots=True)
class Run:
    excellent_years: int  # decided excellent, years in a row up to the year asked
    good_years: int  # decided good or better, likewise
    eligible: bool
    reason: Reason


def years_in_a_row(decided: Mapping[int, Level], year: int, levels: frozenset[Level]) -> int:
    """Years in a row, ending with `year`, decided at one of `levels`; a year without a
    decision breaks the run, as a year rated lower does."""
    count = 0
    while decided.get(year - count) in levels:
        count += 1
    return count


def run_of_years(decided: Mapping[int, Level], year: int, needed: Cited[int]) -> Run:
    best = years_in_a_row(decided, year, BEST)
    good = years_in_a_row(decided, year, GOOD_OR_BETTER)
    eligible = best >= needed.value
    reason = Reason(
        "years_excellent",
        f"decided excellent {best} years in a row to {year}"
        + (f": may be proposed for the {needed.value}-year award" if eligible else ""),
        f"{best} năm liền hoàn thành xuất sắc nhiệm vụ đến năm {year}"
        + (f": đủ điều kiện đề nghị khen thưởng {needed.value} năm liền" if eligible else ""),
        needed.source,
    )
    return Run(best, good, eligible, reason)
