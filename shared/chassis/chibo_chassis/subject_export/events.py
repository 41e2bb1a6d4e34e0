"""A member's events from the service's own store, opened by the store as it loads them.

Two ways in, one query: the member's own streams (`member-<id>`, …), read whole, and every
row whose metadata names the member as its data subject (the private companions, wherever
they are filed: a branch's month of reports holds many members' texts), found through the
partial index `events_data_subject` (kernel migration k0008). Each stream is then loaded
through the store, from the first version asked, so sealed fields come back opened, or as
erased once the member's key is destroyed; rows of other subjects in a shared stream are
dropped before anything is shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from chibo_kernel.errors import UnknownEventType
from chibo_kernel.events import EventRegistry
from chibo_kernel.keyring import ERASED_VI
from chibo_kernel.privacy import encrypted_fields
from chibo_kernel.store import EventStore, RecordedEvent
from chibo_kernel.store.sealing import SUBJECT_KEY

from .labels import event_kind, field_label
from .spec import ExportColumn, ExportSection

# For each stream: the version before the first one to load. Own streams from version 1;
# the others from the member's first row in them.
STREAMS_SQL = f"""
SELECT stream_id, min(version) - 1 AS after FROM (
    SELECT stream_id, 1 AS version FROM events
     WHERE stream_id = ANY ($2::text[]) AND version = 1
    UNION ALL
    SELECT stream_id, version FROM events
     WHERE metadata ? '{SUBJECT_KEY}' AND metadata->>'{SUBJECT_KEY}' = $1
) found GROUP BY stream_id ORDER BY stream_id
"""


async def streams_about(conn: Any, member_id: str, own: Sequence[str]) -> list[tuple[str, int]]:
    """(stream, version to load after) of each stream holding the member's events."""
    rows = await conn.fetch(STREAMS_SQL, member_id, sorted(set(own)))
    return [(row["stream_id"], row["after"]) for row in rows]


async def events_about(
    store: EventStore, member_id: str, streams: Sequence[tuple[str, int]], own: Sequence[str]
) -> list[RecordedEvent]:
    """The member's events in those streams, oldest first."""
    whole = set(own)
    found: list[RecordedEvent] = []
    for stream_id, after in streams:
        for event in await store.load(stream_id, after):
            if stream_id in whole or event.metadata.get(SUBJECT_KEY) == member_id:
                found.append(event)
    return sorted(found, key=lambda e: (e.recorded_at, e.position))


def event_sections(
    events: Sequence[RecordedEvent], registry: EventRegistry, erased: bool
) -> list[ExportSection]:
    """One section per kind of event (its versions together), each row what was recorded.
    A field whose key is destroyed reads "đã xóa"; once the member is erased, so does every
    field marked personal or sensitive that an older event still holds in the clear."""
    sections: dict[str, ExportSection] = {}
    for event in events:
        kind = event.event_type.split(".")[2]
        values, hidden = _values(event, registry, erased)
        row: dict[str, Any] = {
            "recorded_at": event.recorded_at,
            "event_type": event.event_type,
            "stream_id": event.stream_id,
            **{k: ERASED_VI if k in hidden else v for k, v in values.items()},
        }
        section = sections.get(kind)
        if section is None:
            vi, en = event_kind(kind)
            section = ExportSection(
                kind=kind,
                source="event_store",
                label_vi=vi,
                label_en=en,
                columns=[_column("recorded_at")],
                rows=[],
            )
            sections[kind] = section
        known = {c.key for c in section.columns}
        section.columns += [_column(k) for k in values if k not in known]
        section.rows.append(row)
    return list(sections.values())


def _values(
    event: RecordedEvent, registry: EventRegistry, erased: bool
) -> tuple[dict[str, Any], frozenset[str]]:
    """The event's fields, typed by its model where the registry knows it, and those to
    show as erased."""
    hidden = set(event.erased)
    try:
        model = registry.model_for(event.event_type)
    except UnknownEventType:
        return json.loads(event.data), frozenset(hidden)
    values = event.decode(registry).model_dump()
    if erased:
        hidden |= set(encrypted_fields(model))
    return values, frozenset(hidden)


def _column(key: str) -> ExportColumn:
    vi, en = field_label(key)
    return ExportColumn(key=key, label_vi=vi, label_en=en)
