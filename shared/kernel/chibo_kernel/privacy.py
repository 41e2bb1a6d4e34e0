"""What each field of an event reveals about a person, declared on the field itself.

The categories follow the Personal Data Protection Law (91/2025/QH15, art. 2): an
identifier only points at a person; personal data is basic personal data (a name, a birth
date, a card number); sensitive data is what touches a person's private life (health, party
life and its discipline, what they wrote about households). A pseudonymous fact is personal
data too, about a person known there only by their identifier (the date a member joined the
Party): kept readable, unlike a name, because counts and rosters are built on it, and so
they survive an erasure, which leaves the identifier pointing at no readable name. One
declaration serves the data inventory, the stores' encryption per person and the probes
that keep such values off the public streams, so the three cannot disagree.

    class MemberExempted(DomainEvent):
        data_subject: ClassVar[str] = "member_id"   # whose key encrypts the marked fields
        member_id: Annotated[str, IDENTIFIER]
        reason: Annotated[str, SENSITIVE]
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

PRIVACY_KEY = "x-privacy"  # also lands in the JSON Schema of every event and read


class Category(StrEnum):
    IDENTIFIER = "identifier"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"
    PSEUDONYMOUS = "pseudonymous"


def _mark(category: Category) -> Any:
    return Field(json_schema_extra={PRIVACY_KEY: category.value})


IDENTIFIER = _mark(Category.IDENTIFIER)
PERSONAL = _mark(Category.PERSONAL)
SENSITIVE = _mark(Category.SENSITIVE)
PSEUDONYMOUS = _mark(Category.PSEUDONYMOUS)

# Personal and sensitive values are encrypted under their data subject's key; identifiers
# and pseudonymous facts stay readable, since consumers join on them and erasure keeps the
# counts they feed.
ENCRYPTED = frozenset({Category.PERSONAL, Category.SENSITIVE})


def category_of(field: FieldInfo) -> Category | None:
    extra = field.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get(PRIVACY_KEY), str):
        return Category(str(extra[PRIVACY_KEY]))
    return None


def classified_fields(model: type[BaseModel]) -> dict[str, Category]:
    """Every marked field of `model`, in declaration order."""
    found = {name: category_of(info) for name, info in model.model_fields.items()}
    return {name: category for name, category in found.items() if category is not None}


def encrypted_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields a store keeps encrypted under the data subject's key."""
    return tuple(n for n, c in classified_fields(model).items() if c in ENCRYPTED)
