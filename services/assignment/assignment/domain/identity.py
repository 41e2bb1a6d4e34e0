"""A member's identity (card number, birth date): private, so an aggregate of its own.

The relay never publishes private events; in the `member` stream one would leave a version
gap that consumers of members wait on for ever. It shares the member's id and is saved in
the same append as the registration.
"""

from __future__ import annotations

from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .errors import refuse
from .events import MemberIdentityRecorded
from .member import Member


class MemberIdentity(Aggregate):
    category = "member_private"

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.card_number = ""
        self.birth_date: date | None = None

    def record(self, member: Member, *, card_number: str, birth_date: date) -> None:
        """The identity of a member registered in the same command."""
        if self.exists:
            raise refuse(
                "identity_exists",
                "the member's identity is already recorded",
                "thông tin nhân thân của đảng viên đã được ghi",
            )
        assert member.id == self.id, "an identity shares its member's id"
        assert member.admission_date is not None, "record it after the registration"
        if birth_date >= member.admission_date:
            raise refuse(
                "invalid_dates",
                "the admission date must come after the birth date",
                "ngày vào Đảng phải sau ngày sinh",
            )
        recorded = MemberIdentityRecorded(
            member_id=self.id, card_number=card_number, birth_date=birth_date
        )
        self._emit(recorded)

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case MemberIdentityRecorded():
                self.card_number, self.birth_date = event.card_number, event.birth_date
