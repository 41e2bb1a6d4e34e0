"""Erasing a member's personal data (`domain/erasure.py` says when the law allows it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message, Saved

from ..events import ErasureBasis


@dataclass(frozen=True)
class EraseMember(Message[Saved]):
    """Answers what was stored; asked again, it destroys the key again and answers the same.
    `today`: the day the erasure is decided, by default today in Vietnam."""

    member_id: str
    basis: ErasureBasis
    today: date | None = None
