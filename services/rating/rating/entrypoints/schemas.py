"""Request and response bodies: closed models, bounded fields. No body says who decided,
proposed, cancelled, appraised, granted or concluded: the sign-in does (`body.py`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from chibo_chassis.http import Accepted as Accepted
from chibo_contracts.rating import CommentSource, ConclusionKind, LeaveKind, Level, Measure

from .body import Body

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Person = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Discipline(Body):
    measure: Measure
    decided_on: date
    reason: Text
    # The year of the violation (an earlier year's found now); default: the year rated.
    violation_year: int | None = Field(default=None, ge=1930, le=2100)
    in_duties: bool = True  # a violation in performing the member's duties
    self_reported_and_remedied: bool = False


class ConclusionBody(Body):
    kind: ConclusionKind
    concluded_on: date
    reason: Text
    signed_in = ("concluded_by",)


class CommentBody(Body):
    source: CommentSource
    # The organisation that wrote it (a host branch, a residence organisation), never the
    # one entering it: a fact of the comment.
    from_unit: Person
    comment: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    commented_on: date


class Leave(Body):
    kind: LeaveKind
    from_date: date
    to_date: date


class UnitAppraisal(Body):
    points: float | None = Field(default=None, ge=0, le=100)
    level: Level
    targets_total: int = Field(default=0, ge=0, le=1000)
    targets_done: int = Field(default=0, ge=0, le=1000)
    targets_exceeded: int = Field(default=0, ge=0, le=1000)
    disciplined: bool = False
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    signed_in = ("appraised_by",)


class CohortChoice(Body):
    cohort_id: Id
    decided_on: date
    signed_in = ("decided_by",)


class RemovalProposal(Body):
    proposed_on: date
    signed_in = ("proposed_by",)


class RemovalDecision(Body):
    removed: bool
    decided_on: date
    reason: Text
    signed_in = ("decided_by",)


class Allowance(Body):
    granted_on: date
    reason: Text
    signed_in = ("granted_by",)


class SelfAssessment(Body):
    general_points: float = Field(ge=0, le=30)
    task_points: float = Field(ge=0, le=70)
    tasks_total: int = Field(ge=0, le=1000)
    tasks_on_time: int = Field(ge=0, le=1000)
    tasks_exceeded: int = Field(ge=0, le=1000)
    shortcomings_fixed: bool = True
    level: Level


class Appraisal(Body):
    level: Level
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


class DecisionLine(Body):
    subject_id: Id
    level: Level


class Decide(Body):
    decisions: list[DecisionLine] = Field(min_length=1, max_length=5000)
    decided_on: date
    signed_in = ("decided_by",)


class Cancel(Body):
    subject_id: Id
    by_unit_id: Id
    reason: Text
    cancelled_on: date
    signed_in = ("cancelled_by",)


class ProposalView(BaseModel):
    subject_id: str
    name: str
    level: Level | None
    score: float | None
    reasons: list[str]
    decided: str | None
    excluded: list[str]


class Proposals(BaseModel):
    unit_id: str
    year: int
    rule_set: str
    subject: str
    proposals: list[ProposalView]
    waiting_units: int = 0  # as in the roll-up


class Scorecard(BaseModel):
    member_id: str
    full_name: str
    branch_id: str
    quarter: int | None
    assigned: bool
    assignments: list[str]
    assigned_months: list[int]
    reports_expected: int
    reports_submitted: int
    reports_on_time: int
    reviews_good: int
    reviews_fair: int
    reviews_weak: int
    problems_raised: int
    problems_resolved: int
    meetings_expected: int
    meetings_present: int
    meetings_excused: int
    meetings_unexcused: int
    unexcused_months: list[str]
    art8_flag: bool
    excluded: list[str]
    score: float | None
    proposed_level: str | None
    reasons: list[str]  # why that level, and what the records do not show
    decided_level: str | None


class UnitCard(BaseModel):
    unit_id: str
    name: str
    kind: str
    path: list[str]
    metrics: dict[str, float]
    proposed_level: Level | None
    reasons: list[str]
    decided_level: str | None
    bon_tot: dict[str, bool]
    bon_tot_title: bool | None  # None: not a branch-level cell, or before the title existed
    months_missed: list[str]
    member_levels: dict[str, int]
    meetings: list[dict[str, Any]]


class Figure(BaseModel):
    good_or_better: int
    total: int
    text: str  # as the seeds write it: "5,508/5,719 (96.3%)"
    percent: str | None  # two decimals, as some reports give it: "41.52%"


class Rollup(BaseModel):
    unit_id: str
    year: int
    rule_set: str
    members: Figure
    branches: Figure
    organisations: Figure
    bon_tot_branches: Figure
    undecided_members: int
    # Units whose ratings changed and are not derived again yet (after a rule-file change
    # or a bulk import): 0 means every figure is exact.
    waiting_units: int = 0


class FollowerLine(BaseModel):
    follower_id: str
    level: str
    units: list[str]
    visits: int
    outside_assignment: int
    quota: int | None
    quota_valid_from: date | None
    met: bool | None


class Art8Flag(BaseModel):
    member_id: str
    full_name: str
    branch_id: str
    months: list[str]
    # flagged → proposed (by the branch) → removed or kept (by the competent committee)
    procedure: str


class RebuildStatus(BaseModel):
    active: int | None
    building: int | None
    requested: int | None = None  # the generation a rebuild request started or joined
    generations: list[dict[str, Any]]
    pending: dict[str, int | None]
    parked: dict[str, int]
