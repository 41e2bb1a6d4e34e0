"""A member's identity (card number, birth date): private, so an aggregate of its own.

The relay never publishes private events; in the `member` stream one would leave a version
gap that consumers of members wait on for ever. It shares the member's id and is saved in
the same append as the registration, and as a correction (`correction.py`).
"""

from __future__ import annotations

from datetime import date

from chibo_kernel import DomainEvent
from chibo_kernel.domain import Aggregate

from .errors import refuse
from .events import MemberIdentityCorrected, MemberIdentityRecorded
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
        _require_born_before_admission(member, birth_date)
        recorded = MemberIdentityRecorded(
            member_id=self.id, card_number=card_number, birth_date=birth_date
        )
        self._emit(recorded)

    def correct(self, member: Member, *, card_number: str | None, birth_date: date | None) -> bool:
        """The card number, the birth date or both, checked as at registration (the card's
        uniqueness by the handler, which reads who holds it); False when nothing changes."""
        assert member.id == self.id, "an identity shares its member's id"
        card = card_number if card_number is not None else self.card_number
        born = birth_date if birth_date is not None else self.birth_date
        if born is None or not card:
            name = member.full_name or member.id
            raise refuse(
                "identity_incomplete",
                f"no card number and birth date are recorded for member {name}: give both",
                f"chưa ghi số thẻ và ngày sinh của đảng viên {name}: hãy nhập cả hai",
            )
        if (card, born) == (self.card_number, self.birth_date):
            return False
        _require_born_before_admission(member, born)
        self._emit(MemberIdentityCorrected(member_id=self.id, card_number=card, birth_date=born))
        return True

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case MemberIdentityRecorded() | MemberIdentityCorrected():
                self.card_number, self.birth_date = event.card_number, event.birth_date


def _require_born_before_admission(member: Member, birth_date: date) -> None:
    if member.admission_date is not None and birth_date >= member.admission_date:
        raise refuse(
            "invalid_dates",
            "the admission date must come after the birth date",
            "ngày vào Đảng phải sau ngày sinh",
        )
