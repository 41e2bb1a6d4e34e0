"""Personal fields sealed as events are appended, and opened as they load.

An event is sealed when it names a `data_subject` and is private (`published = False`), or
published with `sealed_on_stream`: each field that `privacy` marks personal or sensitive,
unless None, is stored as an "enc:v1:..." envelope under that subject's key. A published
sealed event goes to the stream as stored, envelopes and all; the consumers, which share
the province's keyring, open it as they decode (`consumer.sealed`). The subject and the
names of the sealed fields go into the row's metadata (and the relay copies them into the
message's headers), so loading needs no event registry, opens those fields and no other,
and the keys of a whole batch of rows are read in one query.

A row holds plaintext where it was written before encryption, and such values load as they
are. A value whose key was destroyed loads as None, and the row lists it in `erased`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..events import DomainEvent
from ..keyring import Keyring, KeyRow
from ..keyring.cipher import SEALED_IN_JSON, associated_data, seal, to_json
from ..privacy import encrypted_fields
from .opening import Opened, open_document
from .recorded import RecordedEvent

SUBJECT_KEY = "data_subject"  # in a sealed row's metadata: whose key seals its fields
# ... and which fields it sealed. Rows sealed before the names were recorded lack it.
SEALED_KEY = "sealed"

KeySource = Callable[[], Keyring]  # the store's keyring, made only when first needed


@dataclass(frozen=True, slots=True)
class Stored:
    data: str
    subject: str | None = None
    fields: tuple[str, ...] = ()  # the fields sealed in `data`: those not None


@functools.cache
def sealed_fields(model: type[DomainEvent]) -> tuple[str, ...]:
    """The fields an append of `model` seals (when they are not None)."""
    if model.data_subject is None or (model.published and not model.sealed_on_stream):
        return ()
    return encrypted_fields(model)


async def seal_events(keys: KeySource, events: Sequence[DomainEvent]) -> list[Stored]:
    """Each event's stored JSON, and its subject where it was sealed. Costs nothing for
    events with nothing to seal, and no round trip for subjects whose key is cached."""
    plans = [sealed_fields(type(event)) for event in events]
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
        sealed = tuple(name for name in fields if values[name] is not None)
        for name in sealed:
            aad = associated_data(event.event_type, name, subject)
            values[name] = seal(data_keys[subject], values[name], aad)
        stored.append(Stored(to_json(values), subject, sealed))
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
        (index, seal_of)
        for index, (_, data, metadata) in enumerate(rows)
        if SEALED_IN_JSON in data and (seal_of := sealing_of(metadata)) is not None
    ]
    opened = [Opened(data) for _, data, _ in rows]
    if not candidates:
        return opened
    subjects = {subject for _, (subject, _) in candidates}
    data_keys = await keys().for_reading(subjects, conn, known)
    for index, (subject, fields) in candidates:
        event_type, data, _ = rows[index]
        opened[index] = open_document(data, event_type, subject, data_keys[subject], fields)
    return opened


def sealing_of(metadata: dict[str, Any] | str) -> tuple[str, frozenset[str] | None] | None:
    """Whose key sealed a row, and which fields (None: not recorded, so any envelope at
    the top level); None for a row that was not sealed."""
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    if not isinstance(metadata, dict) or metadata.get(SUBJECT_KEY) is None:
        return None
    fields = metadata.get(SEALED_KEY)
    return str(metadata[SUBJECT_KEY]), (frozenset(fields) if fields is not None else None)


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
