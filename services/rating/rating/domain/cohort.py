"""A unit's rating book for a year (`ratings-<unit>-<year>`): the people's inputs about its
members and every decision counted against its quota.

The cohort is the unit's members (for a branch) or its sub-units (for a higher unit), so
"excellent ≤ 20% of good" is checked inside one aggregate and two secretaries deciding at
once cannot both slip under it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.contracts.rating import (
    AppraisalRecorded,
    DecisionCancelled,
    DisciplineRecorded,
    Level,
    LevelDecided,
    Measure,
    SelfAssessmentSubmitted,
    SubjectKind,
)
from chibo_kernel.domain import Aggregate
from chibo_kernel.errors import RuleViolation

from .rules import Proposal, RuleSet


def book_id(unit_id: str, year: int) -> str:
    return f"{unit_id}-{year}"


@dataclass(frozen=True, slots=True)
class Decision:
    subject_id: str
    level: Level


class CohortBook(Aggregate):
    category = "ratings"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.unit_id, year = aggregate_id.rsplit("-", 1)
        self.year = int(year)
        self.decided: dict[str, Level] = {}
        self.assessed: set[str] = set()

    def record_discipline(
        self, member_id: str, *, measure: Measure, decided_on: date, reason: str
    ) -> None:
        _require_year(decided_on, self.year)
        self._emit(
            DisciplineRecorded(
                member_id=member_id,
                branch_id=self.unit_id,
                year=self.year,
                measure=measure,
                decided_on=decided_on,
                reason=_reason(reason),
            )
        )

    def submit_self_assessment(
        self,
        member_id: str,
        *,
        general_points: float,
        task_points: float,
        tasks_total: int,
        tasks_on_time: int,
        tasks_exceeded: int,
        shortcomings_fixed: bool,
        level: Level,
    ) -> None:
        if member_id in self.assessed:
            raise RuleViolation(
                "self_assessment_exists",
                f"{member_id} has already assessed {self.year}",
                f"{member_id} đã tự đánh giá năm {self.year}",
            )
        if not (tasks_on_time <= tasks_total and tasks_exceeded <= tasks_total):
            raise RuleViolation(
                "tasks_inconsistent",
                "tasks on time and exceeded cannot be more than the tasks given",
                "số nhiệm vụ đúng hạn, vượt mức không thể nhiều hơn số nhiệm vụ được giao",
            )
        self._emit(
            SelfAssessmentSubmitted(
                member_id=member_id,
                branch_id=self.unit_id,
                year=self.year,
                general_points=general_points,
                task_points=task_points,
                tasks_total=tasks_total,
                tasks_on_time=tasks_on_time,
                tasks_exceeded=tasks_exceeded,
                shortcomings_fixed=shortcomings_fixed,
                level=level,
            )
        )

    def record_appraisal(self, member_id: str, *, level: Level, note: str) -> None:
        self._emit(
            AppraisalRecorded(
                member_id=member_id,
                branch_id=self.unit_id,
                year=self.year,
                level=level,
                note=note.strip(),
            )
        )

    def decide(
        self,
        subject: SubjectKind,
        decisions: Sequence[Decision],
        *,
        cohort: Collection[str],
        proposals: Mapping[str, Proposal],
        rules: RuleSet,
        outstanding: bool,
        decided_by: str,
        decided_on: date,
    ) -> None:
        """Decide levels for subjects of this cohort, all or none. `cohort` is who may be
        rated here this year; `proposals` what the service proposed for them."""
        ids = [d.subject_id for d in decisions]
        outside = sorted(set(ids) - set(cohort))
        if outside:
            raise _listed(
                "not_in_cohort",
                f"not rated in {self.unit_id} for {self.year}",
                f"không thuộc diện đánh giá của {self.unit_id} năm {self.year}",
                outside,
            )
        twice = sorted({i for i in ids if ids.count(i) > 1} | (set(ids) & set(self.decided)))
        if twice:
            raise _listed(
                "already_decided",
                "already decided (a higher level cancels a decision before it is re-rated)",
                "đã có quyết định xếp loại (cấp trên hủy kết quả trước khi đánh giá lại)",
                twice,
            )
        after = {**self.decided, **{d.subject_id: d.level for d in decisions}}
        self._check_quota(after, rules, outstanding)
        for decision in decisions:
            proposal = proposals.get(decision.subject_id)
            self._emit(
                LevelDecided(
                    subject=subject,
                    subject_id=decision.subject_id,
                    cohort_id=self.unit_id,
                    year=self.year,
                    level=decision.level,
                    proposed_level=proposal.level if proposal else None,
                    reasons=proposal.reasons if proposal else [],
                    rule_set=rules.id,
                    decided_by=decided_by.strip(),
                    decided_on=decided_on,
                )
            )

    def cancel(
        self,
        subject: SubjectKind,
        subject_id: str,
        *,
        by_unit_id: str,
        reason: str,
        cancelled_by: str,
        cancelled_on: date,
    ) -> None:
        if subject_id not in self.decided:
            raise RuleViolation(
                "not_decided",
                f"{subject_id} has no decision for {self.year} to cancel",
                f"{subject_id} chưa có quyết định xếp loại năm {self.year} để hủy",
            )
        self._emit(
            DecisionCancelled(
                subject=subject,
                subject_id=subject_id,
                cohort_id=self.unit_id,
                year=self.year,
                by_unit_id=by_unit_id,
                reason=_reason(reason),
                cancelled_by=cancelled_by.strip(),
                cancelled_on=cancelled_on,
            )
        )

    def _check_quota(self, levels: Mapping[str, Level], rules: RuleSet, outstanding: bool) -> None:
        share = rules.quota["excellent_of_good_outstanding" if outstanding else "excellent_of_good"]
        excellent = sum(1 for level in levels.values() if level == "excellent")
        good = sum(1 for level in levels.values() if level == "good")
        allowed = int(good * share + 1e-9)
        if excellent > allowed:
            raise RuleViolation(
                "quota_exceeded",
                f"cohort {self.unit_id} {self.year}: {excellent} rated excellent would exceed "
                f"{share:.0%} of the {good} rated good (at most {allowed}; rule set {rules.id})",
                f"đơn vị {self.unit_id} năm {self.year}: {excellent} hoàn thành xuất sắc vượt "
                f"{share:.0%} của {good} hoàn thành tốt (tối đa {allowed}; {rules.title})",
            )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case LevelDecided():
                self.decided[event.subject_id] = event.level
            case DecisionCancelled():
                self.decided.pop(event.subject_id, None)
            case SelfAssessmentSubmitted():
                self.assessed.add(event.member_id)


def _require_year(day: date, year: int) -> None:
    if day.year != year:
        raise RuleViolation(
            "outside_year", f"{day} is not in {year}", f"ngày {day} không thuộc năm {year}"
        )


def _reason(text: str) -> str:
    if not text.strip():
        raise RuleViolation("reason_required", "a reason is required", "phải ghi rõ lý do")
    return text.strip()


def _listed(code: str, en: str, vi: str, ids: Sequence[str]) -> RuleViolation:
    listed = ", ".join(ids)
    return RuleViolation(code, f"{en}: {listed}", f"{vi}: {listed}")
