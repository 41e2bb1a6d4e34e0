"""Commands on monthly reports and the problems they raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message, Saved

from ..events import EnteredBy, Evaluation


@dataclass(frozen=True)
class ReportEntry:
    member_id: str
    situation: str
    submitted_on: date
    entered_by: EnteredBy
    problems: tuple[str, ...] = ()
    assignment: str = "households"


@dataclass(frozen=True)
class ReviewEntry:
    member_id: str
    evaluation: Evaluation
    comment: str
    assignment: str = "households"


@dataclass(frozen=True)
class SubmitReports(Message[Saved]):
    """A whole branch's reports for a month: one command, one transaction."""

    branch_id: str
    month: str
    reports: tuple[ReportEntry, ...]
    today: date


@dataclass(frozen=True)
class ReviewReports(Message[Saved]):
    branch_id: str
    month: str
    reviews: tuple[ReviewEntry, ...]
    reviewed_on: date


@dataclass(frozen=True)
class EscalateProblem(Message[Saved]):
    """Hand a problem up to a unit above the branch."""

    problem_id: str
    to_unit_id: str
    on: date
    note: str


@dataclass(frozen=True)
class ResolveProblem(Message[Saved]):
    problem_id: str
    on: date
    resolution: str
