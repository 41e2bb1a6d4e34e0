"""The rating service's events: what people decided at year end (đánh giá, xếp loại chất
lượng), and the inputs they gave. The service proposes; these record what people did.

One stream per unit and year (`ratings-<unit>-<year>`): the unit's members, or its sub-units,
are one cohort, so the quota (excellent ≤ 20% of good) is checked inside one aggregate.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from ..events import DomainEvent, EventRegistry

# Hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ
Level = Literal["excellent", "good", "completed", "not_completed"]
SubjectKind = Literal["member", "unit"]
# khiển trách, cảnh cáo, cách chức, khai trừ: from the lightest
Measure = Literal["reprimand", "warning", "dismissal", "expulsion"]
# A competent body's conclusion that forces "không hoàn thành nhiệm vụ": degradation (suy
# thoái, "tự diễn biến", "tự chuyển hóa"), a violation of what members must not do, or of the
# duty to set an example (nêu gương).
ConclusionKind = Literal["degradation", "forbidden_act", "example_duty"]
LeaveKind = Literal["sick", "maternity"]
# Who writes about a member to the branch that rates them: the host branch of a temporary
# attendance (sinh hoạt tạm thời), or the party organisation where a member working in an
# agency resides (Quy định 213-QĐ/TW).
CommentSource = Literal["temporary_host", "residence"]


# Superseded by DisciplineDecided (kept off the public stream, with what the rules weigh);
# still read, as a violation of the year it was decided, in duties, not self-reported.
class DisciplineRecorded(DomainEvent):
    """A disciplinary measure decided in the year; reprimand or heavier forces
    "không hoàn thành nhiệm vụ" under both rule sets."""

    event_type: ClassVar[str] = "chibo.rating.discipline_recorded.v1"
    member_id: str
    branch_id: str
    year: int
    measure: Measure
    decided_on: date
    reason: str


class DisciplineDecided(DomainEvent):
    """A disciplinary measure decided in the year, with what the rules weigh: the year of the
    violation, whether it was in performing the member's duties, and whether the member
    reported it and remedied it. Kept off the public stream: discipline is personal data no
    subscriber needs (the decided level is published)."""

    event_type: ClassVar[str] = "chibo.rating.discipline_decided.v1"
    published: ClassVar[bool] = False
    member_id: str
    branch_id: str
    year: int
    measure: Measure
    decided_on: date
    violation_year: int
    in_duties: bool
    self_reported_and_remedied: bool
    reason: str


class ConclusionRecorded(DomainEvent):
    """A competent body's written conclusion about a member in the year (kết luận). Not
    published, like discipline."""

    event_type: ClassVar[str] = "chibo.rating.conclusion_recorded.v1"
    published: ClassVar[bool] = False
    member_id: str
    branch_id: str
    year: int
    kind: ConclusionKind
    concluded_on: date
    concluded_by: str
    reason: str


class LeaveRecorded(DomainEvent):
    """Sick or maternity leave within the year: the rules rate the work done in the other
    months (or cap the level, by the year's set). Health data: never published."""

    event_type: ClassVar[str] = "chibo.rating.leave_recorded.v1"
    published: ClassVar[bool] = False
    member_id: str
    branch_id: str
    year: int
    kind: LeaveKind
    from_date: date
    to_date: date


class CommentRecorded(DomainEvent):
    """A written comment about a member's year from another party organisation, an input to
    the official branch's rating. Personal data: never published."""

    event_type: ClassVar[str] = "chibo.rating.comment_recorded.v1"
    published: ClassVar[bool] = False
    member_id: str
    branch_id: str
    year: int
    source: CommentSource
    from_unit: str  # the host branch's id, or the residence organisation as it signs
    comment: str
    commented_on: date


class AllowanceGranted(DomainEvent):
    """The competent level grants a cohort the higher share of "hoàn thành xuất sắc" its rule
    set allows an outstanding unit, for one year."""

    event_type: ClassVar[str] = "chibo.rating.allowance_granted.v1"
    cohort_id: str
    year: int
    granted_by: str
    granted_on: date
    reason: str


class UnitAppraised(DomainEvent):
    """A collective's year as its self-assessment and the upper level's appraisal put it (a
    branch, a chi bộ cơ sở or a grassroots organisation): the points where the year's rules
    score, the level its criteria are judged at, its targets, and whether it was itself
    disciplined. A later appraisal replaces an earlier one."""

    event_type: ClassVar[str] = "chibo.rating.unit_appraised.v1"
    unit_id: str
    year: int
    points: float | None
    level: Level
    targets_total: int
    targets_done: int
    targets_exceeded: int
    disciplined: bool
    appraised_by: str
    note: str


class CohortSet(DomainEvent):
    """The competent level sets the cohort a unit's members are counted in for a year's
    quota (the unit itself or a unit above it); without one the rule set's default holds."""

    event_type: ClassVar[str] = "chibo.rating.cohort_set.v1"
    unit_id: str
    year: int
    cohort_id: str
    decided_by: str
    decided_on: date


class RemovalProposed(DomainEvent):
    """Charter art. 8: the branch proposes to remove a member who, without good reason, left
    meetings or dues unpaid in three months of the year. Personal data: never published."""

    event_type: ClassVar[str] = "chibo.rating.removal_proposed.v1"
    published: ClassVar[bool] = False
    member_id: str
    branch_id: str
    year: int
    months: list[str]
    proposed_by: str
    proposed_on: date


class RemovalDecided(DomainEvent):
    """The competent committee's decision on a proposal to remove (xóa tên): removed or
    kept. The membership change itself is the assignment service's. Never published."""

    event_type: ClassVar[str] = "chibo.rating.removal_decided.v1"
    published: ClassVar[bool] = False
    member_id: str
    branch_id: str
    year: int
    removed: bool
    decided_by: str
    decided_on: date
    reason: str


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


REGISTRY = EventRegistry(
    [
        DisciplineRecorded,
        DisciplineDecided,
        ConclusionRecorded,
        LeaveRecorded,
        CommentRecorded,
        AllowanceGranted,
        UnitAppraised,
        CohortSet,
        RemovalProposed,
        RemovalDecided,
        SelfAssessmentSubmitted,
        AppraisalRecorded,
        LevelDecided,
        DecisionCancelled,
    ]
)
