"""What people and the service wrote about a member's year in a unit's rating book, kept
apart from it (`ratings_private-<unit>-<year>`): the committee's appraisal notes, the
reasons of a proposal when its level was decided, and why a decision was cancelled. They
name discipline, leave, conduct and other organisations' comments, so they are never
published; the book emits into its `notes`, saved in the same append, as a stream of its
own: private events in a published stream would leave version gaps its consumers wait on.
"""

from __future__ import annotations

from collections.abc import Sequence

from chibo_contracts.rating import (
    AppraisalNoteRecorded,
    DecisionCancellationReasonRecorded,
    DecisionReasonsRecorded,
    SubjectKind,
)
from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate


class CohortNotes(Aggregate):
    category = "ratings_private"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.unit_id, year = aggregate_id.rsplit("-", 1)
        self.year = int(year)

    def appraisal(self, member_id: str, note: str) -> None:
        """An appraisal's note; none is recorded for an appraisal without one."""
        if note:
            self._emit(
                AppraisalNoteRecorded(
                    member_id=member_id, branch_id=self.unit_id, year=self.year, note=note
                )
            )

    def decision(self, subject: SubjectKind, subject_id: str, reasons: Sequence[str]) -> None:
        """The proposal's reasons beside a decided level, if it had any."""
        if reasons:
            self._emit(
                DecisionReasonsRecorded(
                    subject=subject,
                    subject_id=subject_id,
                    cohort_id=self.unit_id,
                    year=self.year,
                    reasons=list(reasons),
                )
            )

    def cancellation(self, subject: SubjectKind, subject_id: str, reason: str) -> None:
        self._emit(
            DecisionCancellationReasonRecorded(
                subject=subject,
                subject_id=subject_id,
                cohort_id=self.unit_id,
                year=self.year,
                reason=reason,
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        """Texts only: no rule reads them back."""
