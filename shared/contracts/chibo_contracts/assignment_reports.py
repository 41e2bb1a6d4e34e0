"""The assignment service's events about how assignments go month by month: members'
reports, the branch's reviews of them, and the problems they raise until resolved or handed
up. Part of the published language gathered in `contracts.assignment`.

What members write about the households they follow, and what the branch writes back, is
sensitive data (Law 91/2025): version 2 of these events carries the facts consumers count
(who reported, when, how it was judged, where a problem stands) and each text goes in a
private companion appended with it, to `reports_private-<branch>-<yyyymm>` or
`problem_private-<problem id>`, under the member it is about. Version 1 stays so that the
events already stored and published still decode; the service no longer emits it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import SENSITIVE

from .assignment_members import MemberId

Evaluation = Literal["good", "fair", "weak"]  # tốt, khá, yếu: the meeting's review
EnteredBy = Literal["member", "secretary"]
Text = Annotated[str, SENSITIVE]


class ReportSubmitted(DomainEvent):
    """A member's monthly report on one assignment (báo cáo hằng tháng): one a month for
    each assignment held."""

    # Superseded by v2 (its situation went to every subscriber); a docstring edit would
    # change the committed schema, so the notes on version 1 classes are comments.

    event_type: ClassVar[str] = "chibo.assignment.report_submitted.v1"
    data_subject: ClassVar[str | None] = "member_id"
    branch_id: str
    month: str  # YYYY-MM
    member_id: MemberId
    assignment: str  # "households", or the duty: "group:<id>", "route:<id>", "task:<id>"
    situation: Text
    submitted_on: date
    entered_by: EnteredBy  # elderly members' reports are often entered by the secretary
    late: bool


class ReportSubmittedV2(DomainEvent):
    """A member's monthly report on one assignment (báo cáo hằng tháng): one a month for
    each assignment held. What it says is in `ReportSituationRecorded`."""

    event_type: ClassVar[str] = "chibo.assignment.report_submitted.v2"
    branch_id: str
    month: str  # YYYY-MM
    member_id: MemberId
    assignment: str  # "households", or the duty: "group:<id>", "route:<id>", "task:<id>"
    submitted_on: date
    entered_by: EnteredBy  # elderly members' reports are often entered by the secretary
    late: bool


class ReportSituationRecorded(DomainEvent):
    """The situation a report describes (the households, their lives): never published."""

    event_type: ClassVar[str] = "chibo.assignment.report_situation_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    branch_id: str
    month: str
    member_id: MemberId
    assignment: str
    situation: Text


class ReportReviewed(DomainEvent):
    # Superseded by v2: its comment went to every subscriber.

    event_type: ClassVar[str] = "chibo.assignment.report_reviewed.v1"
    data_subject: ClassVar[str | None] = "member_id"
    branch_id: str
    month: str
    member_id: MemberId
    assignment: str
    evaluation: Evaluation
    comment: Text
    reviewed_on: date


class ReportReviewedV2(DomainEvent):
    """The meeting's evaluation of a report; its comment is in `ReviewCommentRecorded`."""

    event_type: ClassVar[str] = "chibo.assignment.report_reviewed.v2"
    branch_id: str
    month: str
    member_id: MemberId
    assignment: str
    evaluation: Evaluation
    reviewed_on: date


class ReviewCommentRecorded(DomainEvent):
    """What the meeting said of a member's report: never published."""

    event_type: ClassVar[str] = "chibo.assignment.review_comment_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    branch_id: str
    month: str
    member_id: MemberId
    assignment: str
    comment: Text


class ProblemRaised(DomainEvent):
    """Vấn đề nảy sinh: tracked until the branch resolves it or hands it up."""

    # Superseded by v2: its description went to every subscriber.

    event_type: ClassVar[str] = "chibo.assignment.problem_raised.v1"
    data_subject: ClassVar[str | None] = "member_id"
    problem_id: str
    branch_id: str
    member_id: MemberId
    month: str
    description: Text
    raised_on: date


class ProblemRaisedV2(DomainEvent):
    """Vấn đề nảy sinh: tracked until the branch resolves it or hands it up. What it is
    about is in `ProblemDescriptionRecorded`."""

    event_type: ClassVar[str] = "chibo.assignment.problem_raised.v2"
    problem_id: str
    branch_id: str
    member_id: MemberId
    month: str
    raised_on: date


class ProblemDescriptionRecorded(DomainEvent):
    """What the problem a member raised is: never published."""

    event_type: ClassVar[str] = "chibo.assignment.problem_description_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    problem_id: str
    member_id: MemberId  # who raised it
    description: Text


class ProblemEscalated(DomainEvent):
    # Superseded by v2: its note went to every subscriber.

    event_type: ClassVar[str] = "chibo.assignment.problem_escalated.v1"
    problem_id: str
    branch_id: str
    to_unit_id: str
    on: date
    note: Text


class ProblemEscalatedV2(DomainEvent):
    """A problem handed up to a unit above its branch; the note is in
    `EscalationNoteRecorded`."""

    event_type: ClassVar[str] = "chibo.assignment.problem_escalated.v2"
    problem_id: str
    branch_id: str
    to_unit_id: str
    on: date


class EscalationNoteRecorded(DomainEvent):
    """What the branch wrote when handing a problem up: never published."""

    event_type: ClassVar[str] = "chibo.assignment.escalation_note_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    problem_id: str
    member_id: MemberId  # who raised the problem
    note: Text


class ProblemResolved(DomainEvent):
    # Superseded by v2: its resolution went to every subscriber.

    event_type: ClassVar[str] = "chibo.assignment.problem_resolved.v1"
    problem_id: str
    branch_id: str
    on: date
    resolution: Text


class ProblemResolvedV2(DomainEvent):
    """A problem closed; how is in `ProblemResolutionRecorded`."""

    event_type: ClassVar[str] = "chibo.assignment.problem_resolved.v2"
    problem_id: str
    branch_id: str
    on: date


class ProblemResolutionRecorded(DomainEvent):
    """How a problem was settled: never published."""

    event_type: ClassVar[str] = "chibo.assignment.problem_resolution_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    problem_id: str
    member_id: MemberId  # who raised the problem
    resolution: Text
