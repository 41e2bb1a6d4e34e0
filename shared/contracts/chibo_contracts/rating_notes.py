"""The rating service's private texts about a member's year, written with the published
events of a rating book: the committee's note on its appraisal, the reasons the service gave
for the level it proposed, and why a higher level cancelled a decision. They speak of a
member's discipline, health and conduct, so they never leave the service's store
(`published = False`); they live in `ratings_private-<unit>-<year>`, beside the book whose
event they explain, appended in the same transaction. Part of the language gathered in
`contracts.rating`.

Each names one data subject: the member, or, for a decision about a sub-unit, the unit,
whose text is kept as carefully though no person's erasure reaches it.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import IDENTIFIER, SENSITIVE

from .rating_levels import SubjectKind


class AppraisalNoteRecorded(DomainEvent):
    """The note of the branch committee's appraisal of a member (`AppraisalRecordedV2`); a
    later appraisal without one clears it."""

    event_type: ClassVar[str] = "chibo.rating.appraisal_note_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    year: int
    note: Annotated[str, SENSITIVE]


class DecisionReasonsRecorded(DomainEvent):
    """Why the service proposed the level it did when a level was decided
    (`LevelDecidedV2`): its reasons as the people deciding read them."""

    event_type: ClassVar[str] = "chibo.rating.decision_reasons_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "subject_id"
    subject: SubjectKind
    subject_id: Annotated[str, IDENTIFIER]
    cohort_id: str
    year: int
    reasons: Annotated[list[str], SENSITIVE]


class DecisionCancellationReasonRecorded(DomainEvent):
    """Why a higher level cancelled a decision (`DecisionCancelledV2`)."""

    event_type: ClassVar[str] = "chibo.rating.decision_cancellation_reason_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "subject_id"
    subject: SubjectKind
    subject_id: Annotated[str, IDENTIFIER]
    cohort_id: str
    year: int
    reason: Annotated[str, SENSITIVE]
