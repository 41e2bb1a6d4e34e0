"""The assignment service's tombstone of an erased member. Part of the published language
gathered in `contracts.assignment`.

It tells consumers that a member's personal data was erased (Personal Data Protection Law
91/2025/QH15, art. 14) so that they scrub their copies: names become "đã xóa", free texts
about the member are dropped, counts stay. It carries identifiers and closed values only;
the member's data key is destroyed right after it is stored, so their sealed fields in
every service read as None from then on.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from chibo_kernel.events import DomainEvent
from chibo_kernel.privacy import IDENTIFIER

# Why the erasure is lawful (each grounded in docs/privacy.md, section 9):
# subject_request: the member asked, and the record closed long enough ago to be kept no more;
# retention_expired: the keeping period ran out (the retention job asks it);
# entered_in_error: the person never was a member: there is no Party record to keep.
ErasureBasis = Literal["subject_request", "retention_expired", "entered_in_error"]


class MemberErased(DomainEvent):
    """A member's personal data erased: every copy is to be scrubbed, counts kept."""

    event_type: ClassVar[str] = "chibo.assignment.member_erased.v1"
    erases_subject: ClassVar[str | None] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    branch_id: str
    erased_on: date
    basis: ErasureBasis
