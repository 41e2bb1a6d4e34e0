"""What a service says it holds about a member, and the answer it gives.

A service lists the streams that are the member's own (`member-<id>`, …; the private
companions anywhere in its store are found by their data subject) and the read-model
tables about them, each with one query and its columns. The chassis does the rest the same
way in every service: the events, the erasure, the JSON answer and the workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from chibo_kernel.domain.message import Message
from chibo_kernel.events import EventRegistry
from chibo_kernel.keyring import Keyring
from chibo_kernel.store import EventStore

Category = Literal["identifier", "personal", "sensitive", "not personal"]


@dataclass(frozen=True)
class Column:
    key: str  # as the query names it
    label_vi: str
    label_en: str
    category: Category = "not personal"  # for the data inventory
    # A copy of a value the member's data key seals (a name, a card number, a text): shown
    # as erased once the key is destroyed, whatever the read model still holds.
    erasable: bool = False
    coded: bool = False  # a code from a closed list, shown in words in the workbook


@dataclass(frozen=True)
class Table:
    """A read model's rows about the member: `sql` takes the member id as `$1`."""

    kind: str
    label_vi: str
    label_en: str
    sql: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class SubjectData:
    """Everything one service holds about a member, by where it is."""

    service: str
    registry: EventRegistry
    own_streams: Callable[[str], Sequence[str]]  # the member's own streams, whole
    tables: Sequence[Table]
    # `(id, name)` rows for the ids given as `$1::text[]`: units and members by name in the
    # workbook instead of their ids.
    names_sql: str | None = None


# A connection (anything with asyncpg's `fetch`) to the service's read models.
Reader = Callable[[], AbstractAsyncContextManager[Any]]


class KeyedStore(EventStore, Protocol):
    """An event store and the keyring that opens what it sealed."""

    @property
    def keyring(self) -> Keyring: ...


class ExportColumn(BaseModel):
    key: str
    label_vi: str
    label_en: str


class ExportSection(BaseModel):
    kind: str
    source: Literal["event_store", "read_model"]
    label_vi: str
    label_en: str
    columns: list[ExportColumn]
    rows: list[dict[str, Any]]


class PersonalData(BaseModel):
    """Everything one service holds about a member."""

    member_id: str
    full_name: str | None  # as this service knows it; "đã xóa" once erased
    service: str
    generated_at: datetime
    erased: bool  # the member's data key was destroyed: erased values read "đã xóa"
    legal_basis_vi: str
    legal_basis_en: str
    names: dict[str, str]  # the units and members the events name by id, by name
    sections: list[ExportSection]


@dataclass(frozen=True)
class ReadPersonalData(Message[PersonalData]):
    """The data subject's request, answered at once; its rule (`read` at the member's
    branch, the member role its own) is in each service's permissions table."""

    member_id: str
