"""A value with the article it comes from, and a reason that says why in both languages.

Every threshold the rating rules use is a `Cited` value read from a rule-set file; every
reason a proposal gives carries the citation of the rule that produced it, so a board member
can check the proposal against the text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cited(Generic[T]):
    value: T
    source: str  # e.g. "QĐ 366-QĐ/TW Điều 11 khoản 1 điểm a"


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason of a proposal: `code` for programs, `en`/`vi` for people."""

    code: str
    en: str
    vi: str
    source: str = ""

    def text(self) -> str:
        cited = f" ({self.source})" if self.source else ""
        return f"{self.en} | {self.vi}{cited}"


def share(part: int, whole: int) -> float | None:
    """A ratio, or None when nothing was expected: an empty record proves nothing."""
    return part / whole if whole else None


def percent(value: float) -> str:
    return f"{value:.0%}"
