"""What the records hold about one member's year, typed: the evidence the rules judge.

Built by the application layer from the read models; nothing here reads a database. A field
that is None means the records hold nothing about it, and the rules say so instead of
counting it as met."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from chibo_contracts.rating import Level, Measure

from .cited import share

# Lightest first; the Party's forms of discipline for members (Điều lệ Đảng Điều 35).
MEASURES: tuple[Measure, ...] = ("reprimand", "warning", "dismissal", "expulsion")
ConclusionKind = Literal["degradation", "forbidden_act", "example_duty"]


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """The tasks of the year: for a member of a residential branch, a monthly report due on
    each assignment for each month they held it (months on long leave left out)."""

    expected: int
    done: int
    on_time: int
    exceeded: int | None = None  # only people say a task was exceeded
    source: Literal["reports", "self_assessment", "appraisal"] = "reports"

    @property
    def late(self) -> int:
        return self.done - self.on_time

    @property
    def not_done(self) -> int:
        return self.expected - self.done

    def ratio(self, part: int) -> float | None:
        return share(part, self.expected)


@dataclass(frozen=True, slots=True)
class DisciplineCase:
    measure: Measure
    decided_on: date
    violation_year: int
    # Whether the violation was in performing the member's duties; None: not recorded.
    in_duties: bool | None = None
    self_reported_and_remedied: bool = False

    def at_least(self, lightest: Measure) -> bool:
        return MEASURES.index(self.measure) >= MEASURES.index(lightest)


@dataclass(frozen=True, slots=True)
class Conclusion:
    """A competent body's written conclusion about the member in the year."""

    kind: ConclusionKind
    concluded_on: date


@dataclass(frozen=True, slots=True)
class Comment:
    """Another organisation's written comment: a temporary host branch's, or the residence
    organisation's (Quy định 213-QĐ/TW)."""

    source: str  # temporary_host or residence
    from_unit: str
    comment: str


@dataclass(frozen=True, slots=True)
class SelfAssessment:
    general_points: float
    task_points: float
    tasks_total: int
    tasks_on_time: int
    tasks_exceeded: int
    shortcomings_fixed: bool
    level: Level

    @property
    def score(self) -> float:
        return self.general_points + self.task_points


@dataclass(frozen=True, slots=True)
class MemberYear:
    member_id: str
    full_name: str
    year: int
    admission_date: date
    exempt: bool = False
    suspended: bool = False
    # None: no assignment in a plan of this year, so no task is on record at all.
    reports: TaskRecord | None = None
    sick_leave_months: int = 0  # added up over the year
    maternity_leave_months: int = 0
    unexcused_months: tuple[str, ...] = ()
    disciplines: tuple[DisciplineCase, ...] = ()
    conclusions: tuple[Conclusion, ...] = ()
    self_assessment: SelfAssessment | None = None
    appraisal_level: Level | None = None
    last_report_month: int | None = None  # the last month with a report, for the reasons
    decided: Level | None = None
    # Host branches of a temporary attendance during the year, and the comments received.
    temporary_hosts: tuple[str, ...] = ()
    comments: tuple[Comment, ...] = ()
