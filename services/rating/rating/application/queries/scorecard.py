"""A member's year as the scorecard shows it (counts for the year and each quarter) and what
the rules are given of it (`year_record`): the typed evidence of the rating domain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from chibo_contracts.rating import Level

from ...domain.member_year import (
    Comment,
    Conclusion,
    DisciplineCase,
    MemberYear,
    SelfAssessment,
    TaskRecord,
)


@dataclass
class Tally:
    """Counts over a span of months: the year, or one quarter."""

    reports_expected: int = 0
    reports_submitted: int = 0
    reports_on_time: int = 0
    reviews: dict[str, int] = field(default_factory=dict)  # good / fair / weak
    meetings_expected: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    problems_raised: int = 0
    problems_resolved: int = 0


@dataclass
class MemberEvidence:
    member_id: str
    full_name: str
    branch_id: str  # the official branch at the year's end
    admission_date: date
    year_rated: int
    committee: bool = False
    assignments: list[str] = field(default_factory=list)
    assigned_months: list[int] = field(default_factory=list)
    year: Tally = field(default_factory=Tally)
    quarters: dict[int, Tally] = field(default_factory=dict)
    unexcused_months: list[str] = field(default_factory=list)
    report_months: set[int] = field(default_factory=set)
    standing: set[str] = field(default_factory=set)  # exempt / suspended at year end
    disciplines: list[DisciplineCase] = field(default_factory=list)
    conclusions: list[Conclusion] = field(default_factory=list)
    sick_leave_months: int = 0
    maternity_leave_months: int = 0
    self_assessment: SelfAssessment | None = None
    appraisal: Level | None = None
    appraisal_note: str = ""
    decided: Level | None = None
    removal_procedure: str | None = None  # proposed, removed or kept (Charter art. 8)
    temporary_hosts: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    def year_record(self) -> MemberYear:
        y = self.year
        reports = (
            TaskRecord(y.reports_expected, y.reports_submitted, y.reports_on_time)
            if y.reports_expected
            else None
        )
        return MemberYear(
            member_id=self.member_id,
            full_name=self.full_name,
            year=self.year_rated,
            admission_date=self.admission_date,
            exempt="exempt" in self.standing,
            suspended="suspended" in self.standing,
            reports=reports,
            sick_leave_months=self.sick_leave_months,
            maternity_leave_months=self.maternity_leave_months,
            unexcused_months=tuple(self.unexcused_months),
            disciplines=tuple(self.disciplines),
            conclusions=tuple(self.conclusions),
            self_assessment=self.self_assessment,
            appraisal_level=self.appraisal,
            last_report_month=max(self.report_months, default=None),
            decided=self.decided,
            temporary_hosts=tuple(self.temporary_hosts),
            comments=tuple(self.comments),
        )
