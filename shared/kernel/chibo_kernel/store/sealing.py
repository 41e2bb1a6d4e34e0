"""Personal fields of private events, sealed as they are appended and opened as they load.

An event is sealed when it is private (`published = False`: published events go to the
stream as stored, and subscribers hold no keys) and names a `data_subject`: each field that
`privacy` marks personal or sensitive, unless None, is stored as an "enc:v1:..." envelope
under that subject's key. The subject goes into the row's metadata, so loading needs no
event registry, and the keys of a whole batch of rows are read in one query.

A row holds plaintext where it was written before encryption, and such values load as they
are. A value whose key was destroyed loads as None, and the row lists it in `erased`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidTag

from ..events import DomainEvent
from ..keyring import Keyring, KeyRow, UnreadableField
from ..keyring.cipher import (
    SEALED_IN_JSON,
    DataKey,
    associated_data,
    seal,
    to_json,
    unseal_json,
)
from ..privacy import encrypted_fields
from .recorded import RecordedEvent

SUBJECT_KEY = "data_subject"  # in a sealed row's metadata: whose key seals its fields

KeySource = Callable[[], Keyring]  # the store's keyring, made only when first needed


@dataclass(frozen=True, slots=True)
class Stored:
    data: str
    subject: str | None = None


@dataclass(frozen=True, slots=True)
class Opened:
    data: str
    erased: frozenset[str] = frozenset()


@functools.cache
def _sealed_fields(model: type[DomainEvent]) -> tuple[str, ...]:
    if model.published or model.data_subject is None:
        return ()
    return encrypted_fields(model)


async def seal_events(keys: KeySource, events: Sequence[DomainEvent]) -> list[Stored]:
    """Each event's stored JSON, and its subject where it was sealed. Costs nothing for
    events with nothing to seal, and no round trip for subjects whose key is cached."""
    plans = [_sealed_fields(type(event)) for event in events]
    if not any(plans):
        return [Stored(event.model_dump_json()) for event in events]
    documents: list[tuple[dict[str, Any], str] | None] = []
    for event, fields in zip(events, plans, strict=True):
        documents.append(_document(event) if fields else None)
    subjects = {doc[1] for doc in documents if doc is not None}
    data_keys = await keys().for_writing(subjects)
    stored = []
    for event, fields, doc in zip(events, plans, documents, strict=True):
        if doc is None:
            stored.append(Stored(event.model_dump_json()))
            continue
        values, subject = doc
        for name in fields:
            if values[name] is not None:
                aad = associated_data(event.event_type, name, subject)
                values[name] = seal(data_keys[subject], values[name], aad)
        stored.append(Stored(to_json(values), subject))
    return stored


def _document(event: DomainEvent) -> tuple[dict[str, Any], str]:
    values = event.model_dump(mode="json")
    subject = values.get(str(event.data_subject))
    if subject is None or subject == "":
        raise ValueError(
            f"{event.event_type} names its data subject in {event.data_subject!r}, which is "
            "empty: personal data must belong to someone to be encrypted under their key"
        )
    return values, str(subject)


async def open_rows(
    keys: KeySource,
    rows: Sequence[tuple[str, str, dict[str, Any] | str]],
    conn: Any = None,
    known: Mapping[str, KeyRow] | None = None,
) -> list[Opened]:
    """(event type, stored JSON, metadata) of each row, as the registry should decode it.
    `known`: key rows read with the events (see `Keyring.for_reading`)."""
    candidates = [
        (index, subject)
        for index, (_, data, metadata) in enumerate(rows)
        if SEALED_IN_JSON in data and (subject := _subject_of(metadata)) is not None
    ]
    opened = [Opened(data) for _, data, _ in rows]
    if not candidates:
        return opened
    data_keys = await keys().for_reading({subject for _, subject in candidates}, conn, known)
    for index, subject in candidates:
        event_type, data, _ = rows[index]
        opened[index] = _opened(data, event_type, subject, data_keys[subject])
    return opened


def _opened(data: str, event_type: str, subject: str, key: DataKey | None) -> Opened:
    """Each sealed field's envelope replaced, in the stored text itself, by the JSON text it
    seals (null once erased): the document is neither parsed nor written again."""
    parts: list[str] = []
    erased: list[str] = []
    done = 0
    start = data.find(SEALED_IN_JSON)
    while start != -1:
        end = data.index('"', start + 1) + 1  # base64 holds no quote
        name = _field_named_before(data, start)
        if name is not None:
            if key is None:
                plain = "null"
                erased.append(name)
            else:
                aad = associated_data(event_type, name, subject)
                try:
                    plain = unseal_json(key, data[start + 1 : end - 1], aad)
                except InvalidTag:
                    raise UnreadableField(event_type, name, subject) from None
            parts += [data[done:start], plain]
            done = end
        start = data.find(SEALED_IN_JSON, end)
    if not parts:
        return Opened(data)
    return Opened("".join(parts) + data[done:], frozenset(erased))


def _field_named_before(data: str, value_at: int) -> str | None:
    """The name of the field whose value starts at `value_at`, in compact JSON or as
    PostgreSQL prints jsonb (`"name": value`); None for a list item or anything else."""
    colon = _skip_space_back(data, value_at - 1)
    if colon < 0 or data[colon] != ":":
        return None
    quote = _skip_space_back(data, colon - 1)
    if quote < 1 or data[quote] != '"':
        return None
    opening = data.rfind('"', 0, quote)
    name = data[opening + 1 : quote]
    return name if opening >= 0 and name and "\\" not in name else None


def _skip_space_back(data: str, index: int) -> int:
    while index >= 0 and data[index] in " \t\n\r":
        index -= 1
    return index


def _subject_of(metadata: dict[str, Any] | str) -> str | None:
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    subject = metadata.get(SUBJECT_KEY) if isinstance(metadata, dict) else None
    return str(subject) if subject is not None else None


async def open_recorded(
    keys: KeySource,
    recorded: list[RecordedEvent],
    conn: Any = None,
    known: Mapping[str, KeyRow] | None = None,
) -> list[RecordedEvent]:
    """A loaded stream with its sealed fields opened (or erased)."""
    if not any(SEALED_IN_JSON in r.data for r in recorded):
        return recorded
    rows = [(r.event_type, r.data, r.metadata) for r in recorded]
    opened = await open_rows(keys, rows, conn, known)
    return [
        r if o.data is r.data else replace(r, data=o.data, erased=o.erased)
        for r, o in zip(recorded, opened, strict=True)
    ]
