"""The reasons people give in a branch's meeting book for a year, kept apart from it
(`meetings_private-<branch>-<year>`): why a member was absent or their mark corrected, why a
meeting moved or was cancelled. Often a diagnosis or a funeral, so never published; saved
in the same append as the book's public event they explain (the book emits into its
`notes`), as a stream of its own: a published stream with private events in it would
leave version gaps its consumers wait on for ever.
"""

from __future__ import annotations

from collections.abc import Iterable

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .events import (
    AbsenceReasonRecorded,
    AttendanceMark,
    CancellationReasonRecorded,
    CorrectionReasonRecorded,
    PostponementReasonRecorded,
)


class MeetingNotes(Aggregate):
    category = "meetings_private"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.branch_id = aggregate_id.rsplit("-", 1)[0]
        # The latest reason given for each (meeting, member) since the v2 sheets; a v1
        # sheet carried its reasons itself.
        self.absence_reasons: dict[tuple[str, str], str] = {}

    def absences(self, meeting_id: str, marks: Iterable[AttendanceMark]) -> None:
        """The reason of each excused absence among `marks`, one event per member."""
        for mark in marks:
            if mark.status == "absent_excused" and mark.reason:
                self._emit(
                    AbsenceReasonRecorded(
                        meeting_id=meeting_id,
                        branch_id=self.branch_id,
                        member_id=mark.member_id,
                        reason=mark.reason,
                    )
                )

    def correction(self, meeting_id: str, marks: Iterable[AttendanceMark], reason: str) -> None:
        """Why the correction changed each member's mark, then their new reasons."""
        marks = list(marks)
        for mark in marks:
            self._emit(
                CorrectionReasonRecorded(
                    meeting_id=meeting_id,
                    branch_id=self.branch_id,
                    member_id=mark.member_id,
                    reason=reason,
                )
            )
        self.absences(meeting_id, marks)

    def postponement(self, meeting_id: str, reason: str) -> None:
        self._emit(
            PostponementReasonRecorded(
                meeting_id=meeting_id, branch_id=self.branch_id, reason=reason
            )
        )

    def cancellation(self, meeting_id: str, reason: str) -> None:
        self._emit(
            CancellationReasonRecorded(
                meeting_id=meeting_id, branch_id=self.branch_id, reason=reason
            )
        )

    def with_reason(self, meeting_id: str, mark: AttendanceMark) -> AttendanceMark:
        """A mark as it stands, its reason included: the one given since, if any."""
        reason = self.absence_reasons.get((meeting_id, mark.member_id))
        if mark.status != "absent_excused" or reason is None:
            return mark
        return mark.model_copy(update={"reason": reason})

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case AbsenceReasonRecorded():
                self.absence_reasons[(event.meeting_id, event.member_id)] = event.reason
