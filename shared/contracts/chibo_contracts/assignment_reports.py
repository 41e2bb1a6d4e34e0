"""The assignment service's events about how assignments go month by month: members'
reports, the branch's reviews of them, and the problems they raise until resolved or handed
up. Part of the published language gathered in `contracts.assignment`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from chibo_kernel.events import DomainEvent

Evaluation = Literal["good", "fair", "weak"]  # tốt, khá, yếu: the meeting's review
EnteredBy = Literal["member", "secretary"]


class ReportSubmitted(DomainEvent):
    """A member's monthly report on one assignment (báo cáo hằng tháng): one a month for
    each assignment held."""

    event_type: ClassVar[str] = "chibo.assignment.report_submitted.v1"
    branch_id: str
    month: str  # YYYY-MM
    member_id: str
    assignment: str  # "households", or the duty: "group:<id>", "route:<id>", "task:<id>"
    situation: str
    submitted_on: date
    entered_by: EnteredBy  # elderly members' reports are often entered by the secretary
    late: bool


class ReportReviewed(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.report_reviewed.v1"
    branch_id: str
    month: str
    member_id: str
    assignment: str
    evaluation: Evaluation
    comment: str
    reviewed_on: date


class ProblemRaised(DomainEvent):
    """Vấn đề nảy sinh: tracked until the branch resolves it or hands it up."""

    event_type: ClassVar[str] = "chibo.assignment.problem_raised.v1"
    problem_id: str
    branch_id: str
    member_id: str
    month: str
    description: str
    raised_on: date


class ProblemEscalated(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.problem_escalated.v1"
    problem_id: str
    branch_id: str
    to_unit_id: str
    on: date
    note: str


class ProblemResolved(DomainEvent):
    event_type: ClassVar[str] = "chibo.assignment.problem_resolved.v1"
    problem_id: str
    branch_id: str
    on: date
    resolution: str
