"""Request and response bodies: closed models, bounded strings, so bad input is refused
before any handler runs."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chibo_kernel.http import Accepted as Accepted

from ..domain.events import (
    CommitteeLevel,
    DutyKind,
    EnteredBy,
    Evaluation,
    MemberStatus,
    Role,
    UnitKind,
)

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Digits = Annotated[str, StringConstraints(pattern=r"^[0-9]{6,12}$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CreateUnit(Body):
    unit_id: Id
    kind: UnitKind
    name: Name
    parent_id: Id | None = None
    valid_from: date


class RegisterMember(Body):
    full_name: Name
    branch_id: Id
    admission_date: date
    status: MemberStatus = "full"
    card_number: Digits
    birth_date: date


class GiveRole(Body):
    role: Role
    since: date


class Exempt(Body):
    from_date: date
    to_date: date | None = None
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Transfer(Body):
    to_branch_id: Id
    on: date


class Suspend(Body):
    from_date: date
    to_date: date | None = None
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Leave(Body):
    on: date
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Confirm(Body):
    on: date


class TemporaryAttendance(Body):
    host_branch_id: Id
    from_date: date
    to_date: date


class Rename(Body):
    name: Name
    valid_from: date


class Dissolve(Body):
    valid_from: date
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class Household(Body):
    household_id: Id
    label: Name


class RegisterHouseholds(Body):
    households: list[Household] = Field(min_length=1, max_length=5000)


class DraftPlan(Body):
    """Leave both out to take the province's policy (default 5-10)."""

    min_households: int | None = Field(default=None, ge=1, le=100)
    max_households: int | None = Field(default=None, ge=1, le=100)


class HouseholdRange(Body):
    min_households: int = Field(ge=1, le=100)
    max_households: int = Field(ge=1, le=100)
    valid_from: date


class Assignment(Body):
    member_id: Id
    household_ids: list[Id] = Field(min_length=1, max_length=100)


class Assign(Body):
    assignments: list[Assignment] = Field(min_length=1, max_length=2000)


class Adopt(Body):
    resolution_number: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    adopted_on: date


class MemberAccepted(Accepted):
    member_id: str


class CoverageView(BaseModel):
    members: str
    households: str
    members_without_households: list[str]
    households_without_member: list[str]
    released: list[dict[str, str]]
    released_duties: list[dict[str, str]]


class RowProblem(BaseModel):
    line: int
    field: str
    reason: str
    reason_vi: str


class ImportStatus(BaseModel):
    job_id: str
    filename: str
    status: str
    processed: int
    to_write: int
    rows: int | None = None
    imported: int | None = None
    unchanged: int | None = None
    errors: list[RowProblem] = []
    failure: str | None = None
    failure_vi: str | None = None


Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


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
    description: str
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


class AssignMentor(Body):
    mentor_id: Id
    member_ids: list[Id] = Field(min_length=1, max_length=50)


class MentorGroup(BaseModel):
    mentor_id: str
    member_ids: list[str]


class MentoringView(BaseModel):
    mentors: list[MentorGroup]
    probationary_without_mentor: list[str]


class AssignFollowing(Body):
    level: CommitteeLevel
    unit_ids: list[Id] = Field(min_length=1, max_length=100)


class SetQuota(Body):
    level: CommitteeLevel
    meetings_per_year: int = Field(ge=1, le=52)
    valid_from: date


class QuotaInForce(BaseModel):
    level: str
    meetings_per_year: int
    valid_from: date


class Group(Body):
    group_id: Id
    name: Name
    household_ids: list[Id] = Field(min_length=1, max_length=200)


class Named(Body):
    id: Id
    name: Name


class DefineDuties(Body):
    groups: list[Group] = Field(default_factory=list, max_length=500)
    routes: list[Named] = Field(default_factory=list, max_length=500)
    tasks: list[Named] = Field(default_factory=list, max_length=500)


class Duty(Body):
    member_id: Id
    kind: DutyKind
    target_id: Id


class AssignDuties(Body):
    duties: list[Duty] = Field(min_length=1, max_length=2000)


class Move(Body):
    to_parent_id: Id
    valid_from: date


class PlanImportView(BaseModel):
    rows: int
    assigned: int
    unchanged: int
    errors: list[RowProblem]


class Merge(Body):
    into_unit_id: Id
    valid_from: date
