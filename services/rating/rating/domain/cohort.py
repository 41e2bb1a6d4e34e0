"""A unit's rating book for a year (`ratings-<unit>-<year>`): the people's inputs about its
members, every decision counted against its quota, and the allowance granted to it.

A unit's book is the cohort of the quota: for members, the unit the year's rule set names
(by default the grassroots organisation, so every branch's member decisions land in its
book); for units, the organisation deciding the units directly under it. The quota is
checked inside one aggregate, on the levels the cohort would hold after the command, so two
secretaries deciding at once cannot both slip under it. The texts about a member go to the
book's `notes` (`cohort_notes.py`), saved with it; the book reads v1 and v2 events alike.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

from chibo_contracts.rating import (
    AllowanceGranted,
    AppraisalRecordedV2,
    CohortSet,
    DecisionCancelled,
    DecisionCancelledV2,
    Level,
    LevelDecided,
    LevelDecidedV2,
    SelfAssessmentSubmitted,
    SubjectKind,
    UnitAppraised,
)
from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate
from chibo_kernel.errors import RuleViolation

from .cohort_notes import CohortNotes
from .cohort_refusals import check_decisions, check_targets, check_tasks, given_reason
from .decisions import Decision, Proposed, RuleSetName
from .rule_set import Quota


def book_id(unit_id: str, year: int) -> str:
    return f"{unit_id}-{year}"


class CohortBook(Aggregate):
    category = "ratings"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.unit_id, year = aggregate_id.rsplit("-", 1)
        self.year = int(year)
        self.decided: dict[SubjectKind, dict[str, Level]] = {"member": {}, "unit": {}}
        self.assessed: set[str] = set()
        self.allowance = False
        self.notes = CohortNotes(aggregate_id)  # the loaded one replaces it before a command

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
        check_tasks(tasks_total, tasks_on_time, tasks_exceeded)
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
            AppraisalRecordedV2(
                member_id=member_id, branch_id=self.unit_id, year=self.year, level=level
            )
        )
        self.notes.appraisal(member_id, note.strip())

    def decide(
        self,
        subject: SubjectKind,
        decisions: Sequence[Decision],
        *,
        cohort: Collection[str],
        proposals: Mapping[str, Proposed],
        quota: Quota,
        rule_set: RuleSetName,
        decided_by: str,
        decided_on: date,
    ) -> None:
        """Decide levels for subjects of this cohort, all or none. `cohort` is who may be
        rated here by this command; `proposals` what the service proposed for them."""
        check_decisions(
            self.unit_id,
            self.year,
            decisions,
            cohort=cohort,
            decided=self.decided[subject],
            quota=quota,
            allowance=self.allowance,
            rule_set=rule_set,
        )
        for decision in decisions:
            proposal = proposals.get(decision.subject_id)
            self._emit(
                LevelDecidedV2(
                    subject=subject,
                    subject_id=decision.subject_id,
                    cohort_id=self.unit_id,
                    year=self.year,
                    level=decision.level,
                    proposed_level=proposal.level if proposal else None,
                    rule_set=rule_set.id,
                    decided_by=decided_by.strip(),
                    decided_on=decided_on,
                )
            )
            self.notes.decision(subject, decision.subject_id, proposal.reasons if proposal else [])

    def appraise_unit(
        self,
        *,
        points: float | None,
        level: Level,
        targets_total: int,
        targets_done: int,
        targets_exceeded: int,
        disciplined: bool,
        appraised_by: str,
        note: str,
    ) -> None:
        """This book's own unit, appraised by the level above it."""
        check_targets(targets_total, targets_done, targets_exceeded)
        self._emit(
            UnitAppraised(
                unit_id=self.unit_id,
                year=self.year,
                points=points,
                level=level,
                targets_total=targets_total,
                targets_done=targets_done,
                targets_exceeded=targets_exceeded,
                disciplined=disciplined,
                appraised_by=appraised_by.strip(),
                note=note.strip(),
            )
        )

    def set_cohort(
        self, cohort_id: str, *, path: list[str], decided_by: str, decided_on: date
    ) -> None:
        """This book's unit's members count in `cohort_id` (the unit or one above it)."""
        if cohort_id not in path:
            raise RuleViolation(
                "cohort_not_above",
                f"{cohort_id} is neither {self.unit_id} nor a unit above it",
                f"{cohort_id} không phải {self.unit_id} hay một cấp trên của nó",
            )
        self._emit(
            CohortSet(
                unit_id=self.unit_id,
                year=self.year,
                cohort_id=cohort_id,
                decided_by=decided_by.strip(),
                decided_on=decided_on,
            )
        )

    def grant_allowance(self, *, granted_by: str, granted_on: date, reason: str) -> None:
        if self.allowance:
            raise RuleViolation(
                "allowance_granted",
                f"{self.unit_id} already has the allowance for {self.year}",
                f"{self.unit_id} đã được cho phép tỷ lệ cao hơn năm {self.year}",
            )
        self._emit(
            AllowanceGranted(
                cohort_id=self.unit_id,
                year=self.year,
                granted_by=granted_by.strip(),
                granted_on=granted_on,
                reason=given_reason(reason),
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
        if subject_id not in self.decided[subject]:
            raise RuleViolation(
                "not_decided",
                f"{subject_id} has no decision for {self.year} to cancel",
                f"{subject_id} chưa có quyết định xếp loại năm {self.year} để hủy",
            )
        given = given_reason(reason)
        self._emit(
            DecisionCancelledV2(
                subject=subject,
                subject_id=subject_id,
                cohort_id=self.unit_id,
                year=self.year,
                by_unit_id=by_unit_id,
                cancelled_by=cancelled_by.strip(),
                cancelled_on=cancelled_on,
            )
        )
        self.notes.cancellation(subject, subject_id, given)

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case LevelDecided() | LevelDecidedV2():
                self.decided[event.subject][event.subject_id] = event.level
            case DecisionCancelled() | DecisionCancelledV2():
                self.decided[event.subject].pop(event.subject_id, None)
            case AllowanceGranted():
                self.allowance = True
            case SelfAssessmentSubmitted():
                self.assessed.add(event.member_id)
