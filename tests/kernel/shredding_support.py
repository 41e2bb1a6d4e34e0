"""Toy events for the crypto-shredding tests: a private event with personal and sensitive
fields of one member, and a published one that marks a personal field."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, ClassVar

from chibo_kernel import DomainEvent, EventRegistry
from chibo_kernel.privacy import IDENTIFIER, PERSONAL, SENSITIVE

from .support import new_service

SERVICE = new_service()
CARD, REASON, BORN = "0123456789", "điều trị ung thư", date(1961, 9, 2)


class CardNoted(DomainEvent):
    event_type: ClassVar[str] = f"chibo.{SERVICE}.card_noted.v1"
    published: ClassVar[bool] = False
    data_subject: ClassVar[str] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    card_number: Annotated[str, PERSONAL]  # not Optional: erased, it still decodes
    born: Annotated[date, PERSONAL]
    reason: Annotated[str | None, SENSITIVE] = None
    branch: str = "VL-TT"


class Joined(DomainEvent):
    """Published: it goes to the stream as stored, so it is never sealed."""

    event_type: ClassVar[str] = f"chibo.{SERVICE}.joined.v1"
    data_subject: ClassVar[str] = "member_id"
    member_id: Annotated[str, IDENTIFIER]
    full_name: Annotated[str, PERSONAL]


registry = EventRegistry([CardNoted, Joined])


def member() -> str:
    return f"m-{uuid.uuid4().hex[:12]}"


def noted(member_id: str, **changes: object) -> CardNoted:
    values: dict[str, object] = {"card_number": CARD, "born": BORN, "reason": REASON}
    return CardNoted(member_id=member_id, **(values | changes))
