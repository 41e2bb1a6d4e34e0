"""People's inputs about a member's year: the self-assessment and the committee's appraisal
(in the branch's rating book), the personal-data inputs the rules weigh (discipline,
conclusions, leave, comments) and Charter art. 8's procedure, in the member's private file.
Who concluded, proposed or decided is the body the signed-in principal acts for
(`application/signer.py`); a comment's author is another organisation (`from_unit`): a fact
entered, not who enters it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_contracts.rating import CommentSource, ConclusionKind, LeaveKind, Level, Measure
from chibo_kernel.domain import Message, Saved


@dataclass(frozen=True)
class SubmitSelfAssessment(Message[Saved]):
    member_id: str
    year: int
    general_points: float
    task_points: float
    tasks_total: int
    tasks_on_time: int
    tasks_exceeded: int
    level: Level
    shortcomings_fixed: bool = True


@dataclass(frozen=True)
class RecordAppraisal(Message[Saved]):
    member_id: str
    year: int
    level: Level
    note: str = ""


@dataclass(frozen=True)
class RecordDiscipline(Message[Saved]):
    member_id: str
    year: int
    measure: Measure
    decided_on: date
    reason: str
    violation_year: int | None = None  # default: the year rated
    in_duties: bool = True
    self_reported_and_remedied: bool = False


@dataclass(frozen=True)
class RecordConclusion(Message[Saved]):
    member_id: str
    year: int
    kind: ConclusionKind
    concluded_on: date
    reason: str


@dataclass(frozen=True)
class RecordLeave(Message[Saved]):
    member_id: str
    year: int
    kind: LeaveKind
    from_date: date
    to_date: date


@dataclass(frozen=True)
class RecordComment(Message[Saved]):
    member_id: str
    year: int
    source: CommentSource
    from_unit: str
    comment: str
    commented_on: date


@dataclass(frozen=True)
class ProposeRemoval(Message[Saved]):
    """Charter art. 8: the branch proposes removing a member the records flag."""

    member_id: str
    year: int
    proposed_on: date


@dataclass(frozen=True)
class DecideRemoval(Message[Saved]):
    """The competent committee decides on the branch's proposal."""

    member_id: str
    year: int
    removed: bool
    decided_on: date
    reason: str
