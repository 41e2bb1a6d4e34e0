"""The rating service's events recording what else weighs on a member's year: discipline,
competent bodies' conclusions, leave, comments from other party organisations, and removal
(xóa tên). Personal, so all but the superseded `DisciplineRecorded` stay off the public
stream. Part of the published language gathered in `contracts.rating`.

The texts people write (a reason, a comment) are sensitive and keyed by the member; the
facts the rules count (a measure, a leave's kind and dates, the months flagged) stay
readable beside the member's id, like every fact a count is made of. `concluded_by`,
`proposed_by`, `decided_by` and `from_unit` name a body as it signs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import IDENTIFIER, SENSITIVE

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
    data_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    measure: Measure
    decided_on: date
    reason: Annotated[str, SENSITIVE]


class DisciplineDecided(DomainEvent):
    """A disciplinary measure decided in the year, with what the rules weigh: the year of the
    violation, whether it was in performing the member's duties, and whether the member
    reported it and remedied it. Kept off the public stream: discipline is personal data no
    subscriber needs (the decided level is published)."""

    event_type: ClassVar[str] = "chibo.rating.discipline_decided.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    measure: Measure
    decided_on: date
    violation_year: int
    in_duties: bool
    self_reported_and_remedied: bool
    reason: Annotated[str, SENSITIVE]


class ConclusionRecorded(DomainEvent):
    """A competent body's written conclusion about a member in the year (kết luận). Not
    published, like discipline."""

    event_type: ClassVar[str] = "chibo.rating.conclusion_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    kind: ConclusionKind
    concluded_on: date
    concluded_by: str
    reason: Annotated[str, SENSITIVE]


class LeaveRecorded(DomainEvent):
    """Sick or maternity leave within the year: the rules rate the work done in the other
    months (or cap the level, by the year's set). Health data: never published."""

    event_type: ClassVar[str] = "chibo.rating.leave_recorded.v1"
    published: ClassVar[bool] = False
    member_id: Annotated[str, IDENTIFIER]
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
    data_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    source: CommentSource
    from_unit: str  # the host branch's id, or the residence organisation as it signs
    comment: Annotated[str, SENSITIVE]
    commented_on: date


class RemovalProposed(DomainEvent):
    """Charter art. 8: the branch proposes to remove a member who, without good reason, left
    meetings or dues unpaid in three months of the year. Personal data: never published."""

    event_type: ClassVar[str] = "chibo.rating.removal_proposed.v1"
    published: ClassVar[bool] = False
    member_id: Annotated[str, IDENTIFIER]
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
    data_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    removed: bool
    decided_by: str
    decided_on: date
    reason: Annotated[str, SENSITIVE]
