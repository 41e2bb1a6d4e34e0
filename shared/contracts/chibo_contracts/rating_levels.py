"""The rating service's events on levels: a member's self-assessment, the branch
committee's appraisal, and the level the competent level decides (or a higher level
cancels), for a member or a sub-unit. Part of the published language gathered in
`contracts.rating`."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from chibo_kernel.events import DomainEvent

# Hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ
Level = Literal["excellent", "good", "completed", "not_completed"]
SubjectKind = Literal["member", "unit"]


class SelfAssessmentSubmitted(DomainEvent):
    """The member's self-assessment with a score (tự đánh giá, chấm điểm)."""

    event_type: ClassVar[str] = "chibo.rating.self_assessment_submitted.v1"
    member_id: str
    branch_id: str
    year: int
    general_points: float  # of the 30 for the general criteria
    task_points: float  # of the 70 for task results
    tasks_total: int
    tasks_on_time: int
    tasks_exceeded: int
    shortcomings_fixed: bool  # every shortcoming named last year has been fixed
    level: Level  # the level the member proposes for themself


class AppraisalRecorded(DomainEvent):
    """The branch committee's appraisal and proposal for a member (thẩm định, đề xuất)."""

    event_type: ClassVar[str] = "chibo.rating.appraisal_recorded.v1"
    member_id: str
    branch_id: str
    year: int
    level: Level
    note: str


class LevelDecided(DomainEvent):
    """A level decided by the competent level (quyết định xếp loại), for a member of the
    cohort's unit or for one of its sub-units. `proposed_level` and `reasons` are what the
    service proposed when it was decided, kept beside what people chose."""

    event_type: ClassVar[str] = "chibo.rating.level_decided.v1"
    subject: SubjectKind
    subject_id: str
    cohort_id: str  # the unit whose quota the decision counts against
    year: int
    level: Level
    proposed_level: Level | None
    reasons: list[str]
    rule_set: str
    decided_by: str  # who decided: the person or body, as they sign
    decided_on: date


class DecisionCancelled(DomainEvent):
    """A higher level cancelled a decision (hủy kết quả) so that it is rated again."""

    event_type: ClassVar[str] = "chibo.rating.decision_cancelled.v1"
    subject: SubjectKind
    subject_id: str
    cohort_id: str
    year: int
    by_unit_id: str
    reason: str
    cancelled_by: str
    cancelled_on: date
