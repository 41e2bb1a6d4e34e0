"""Bodies of the monthly report routes: reports, their review, and the problems they
raise."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

# The answer to a command, re-exported so routes read every body of a resource from one module.
from chibo_chassis.http import Accepted as Accepted

from ..domain.events import EnteredBy, Evaluation
from .schemas import NO_NUL, Body, Id

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=NO_NUL)]


AssignmentRef = Annotated[
    str, StringConstraints(pattern=r"^(households|(group|route|task):[A-Za-z0-9_-]{1,40})$")
]


class Report(Body):
    member_id: Id
    assignment: AssignmentRef = "households"
    situation: Text
    submitted_on: date
    entered_by: EnteredBy = "secretary"
    problems: list[Text] = Field(default_factory=list, max_length=20)


class SubmitReports(Body):
    reports: list[Report] = Field(min_length=1, max_length=2000)


class Review(Body):
    member_id: Id
    assignment: AssignmentRef = "households"
    evaluation: Evaluation
    comment: Text


class ReviewReports(Body):
    reviewed_on: date
    reviews: list[Review] = Field(min_length=1, max_length=2000)


class Escalate(Body):
    to_unit_id: Id
    on: date
    note: Text


class Resolve(Body):
    on: date
    resolution: Text


class MemberReport(BaseModel):
    member_id: str
    assignment: str
    state: str  # on_time, late or missing
    submitted_on: date | None
    entered_by: str | None
    evaluation: str | None


class OpenProblem(BaseModel):
    problem_id: str
    member_id: str
    month: str
    description: str | None  # None once the data of the member who raised it is erased
    status: str
    raised_on: date
    escalated_to: str | None


class MonthView(BaseModel):
    month: str
    reported: str  # "35/37" as branches say it
    late: int
    missing: list[str]
    reports: list[MemberReport]
    open_problems: list[OpenProblem]
