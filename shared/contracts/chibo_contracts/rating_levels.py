"""The rating service's events on levels: a member's self-assessment, the branch
committee's appraisal, and the level the competent level decides (or a higher level
cancels), for a member or a sub-unit. Part of the published language gathered in
`contracts.rating`.

The texts written with them (an appraisal's note, a proposal's reasons, why a decision was
cancelled) speak of a member's discipline, health and conduct: since the v2 events they stay
in the service's store (`rating_notes.py`), and the public stream carries the levels.
`decided_by` and `cancelled_by` name the deciding body as it signs, not the person rated."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import IDENTIFIER, SENSITIVE

# Hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ
Level = Literal["excellent", "good", "completed", "not_completed"]
SubjectKind = Literal["member", "unit"]


class SelfAssessmentSubmitted(DomainEvent):
    """The member's self-assessment with a score (tự đánh giá, chấm điểm)."""

    event_type: ClassVar[str] = "chibo.rating.self_assessment_submitted.v1"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    general_points: float  # of the 30 for the general criteria
    task_points: float  # of the 70 for task results
    tasks_total: int
    tasks_on_time: int
    tasks_exceeded: int
    shortcomings_fixed: bool  # every shortcoming named last year has been fixed
    level: Level  # the level the member proposes for themself


# Superseded by v2, which leaves the note in the service's store. (A docstring is part of
# a model's JSON Schema: notes on the v1 models are comments.)
class AppraisalRecorded(DomainEvent):
    """The branch committee's appraisal and proposal for a member (thẩm định, đề xuất)."""

    event_type: ClassVar[str] = "chibo.rating.appraisal_recorded.v1"
    data_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    level: Level
    note: Annotated[str, SENSITIVE]


class AppraisalRecordedV2(DomainEvent):
    """The branch committee's appraisal and proposal for a member (thẩm định, đề xuất); its
    note, if any, is `AppraisalNoteRecorded`. A later appraisal replaces an earlier one."""

    event_type: ClassVar[str] = "chibo.rating.appraisal_recorded.v2"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    level: Level


# Superseded by v2, which leaves the reasons in the service's store.
class LevelDecided(DomainEvent):
    """A level decided by the competent level (quyết định xếp loại), for a member of the
    cohort's unit or for one of its sub-units. `proposed_level` and `reasons` are what the
    service proposed when it was decided, kept beside what people chose."""

    event_type: ClassVar[str] = "chibo.rating.level_decided.v1"
    data_subject: ClassVar[str | None] = "subject_id"
    subject: SubjectKind
    subject_id: Annotated[str, IDENTIFIER]
    cohort_id: str  # the unit whose quota the decision counts against
    year: int
    level: Level
    proposed_level: Level | None
    # A member's name their discipline, leave and the comments written about them.
    reasons: Annotated[list[str], SENSITIVE]
    rule_set: str
    decided_by: str  # who decided: the person or body, as they sign
    decided_on: date


class LevelDecidedV2(DomainEvent):
    """A level decided by the competent level (quyết định xếp loại), for a member of the
    cohort's unit or for one of its sub-units, with the level the service proposed; the
    proposal's reasons are `DecisionReasonsRecorded`, in the service's store."""

    event_type: ClassVar[str] = "chibo.rating.level_decided.v2"
    subject: SubjectKind
    subject_id: Annotated[str, IDENTIFIER]
    cohort_id: str  # the unit whose quota the decision counts against
    year: int
    level: Level
    proposed_level: Level | None
    rule_set: str
    decided_by: str  # who decided: the person or body, as they sign
    decided_on: date


# Superseded by v2, which leaves the reason in the service's store.
class DecisionCancelled(DomainEvent):
    """A higher level cancelled a decision (hủy kết quả) so that it is rated again."""

    event_type: ClassVar[str] = "chibo.rating.decision_cancelled.v1"
    data_subject: ClassVar[str | None] = "subject_id"
    subject: SubjectKind
    subject_id: Annotated[str, IDENTIFIER]
    cohort_id: str
    year: int
    by_unit_id: str
    reason: Annotated[str, SENSITIVE]
    cancelled_by: str
    cancelled_on: date


class DecisionCancelledV2(DomainEvent):
    """A higher level cancelled a decision (hủy kết quả) so that it is rated again; why is
    `DecisionCancellationReasonRecorded`, in the service's store."""

    event_type: ClassVar[str] = "chibo.rating.decision_cancelled.v2"
    subject: SubjectKind
    subject_id: Annotated[str, IDENTIFIER]
    cohort_id: str
    year: int
    by_unit_id: str
    cancelled_by: str
    cancelled_on: date
