"""The attendance service's private events: why a member was absent, why their mark was
corrected, why a meeting was postponed or cancelled. People give these reasons in their own
words, and the words are often a diagnosis or a funeral, so they never leave the service's
store (`published = False`). They live in `meetings_private-<branch>-<year>`, beside the
branch's public book, and are appended in the same transaction as the public event they
explain. Part of the language gathered in `contracts.attendance`.

A member's reason is one event per member, so each names one data subject, whose key
encrypts it and whose erasure removes it, even when one sheet or correction names many.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import IDENTIFIER, SENSITIVE


class AbsenceReasonRecorded(DomainEvent):
    """Why a member was excused from a meeting, as a sheet or a correction gave it. The
    latest for a member and a meeting holds while their mark stays an excused absence."""

    event_type: ClassVar[str] = "chibo.attendance.absence_reason_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    meeting_id: str
    branch_id: str
    member_id: Annotated[str, IDENTIFIER]
    reason: Annotated[str, SENSITIVE]


class CorrectionReasonRecorded(DomainEvent):
    """Why a late correction changed a member's mark: the correction's one reason, recorded
    once for each member it changed."""

    event_type: ClassVar[str] = "chibo.attendance.correction_reason_recorded.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str | None] = "member_id"
    meeting_id: str
    branch_id: str
    member_id: Annotated[str, IDENTIFIER]
    reason: Annotated[str, SENSITIVE]


# Why a meeting moved or will not happen is about the meeting and names no member to key it
# by, so it stays unmarked (no member's key, no member's erasure reaches it); it stays
# private because in practice it is as often someone's illness or funeral.
class PostponementReasonRecorded(DomainEvent):
    """Why a meeting was postponed (`MeetingPostponedV2`)."""

    event_type: ClassVar[str] = "chibo.attendance.postponement_reason_recorded.v1"
    published: ClassVar[bool] = False
    meeting_id: str
    branch_id: str
    reason: str


class CancellationReasonRecorded(DomainEvent):
    """Why a meeting was cancelled (`MeetingCancelledV2`)."""

    event_type: ClassVar[str] = "chibo.attendance.cancellation_reason_recorded.v1"
    published: ClassVar[bool] = False
    meeting_id: str
    branch_id: str
    reason: str
