"""What the store hands back and what a handler asks it to append."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..events import DomainEvent, EventRegistry
from .erasure import decode_stored


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    position: int
    stream_id: str
    version: int
    event_id: uuid.UUID
    event_type: str
    data: str
    metadata: dict[str, Any]
    recorded_at: datetime
    # Personal fields whose data key was destroyed: null in `data`, None once decoded.
    erased: frozenset[str] = frozenset()

    def decode(self, registry: EventRegistry) -> DomainEvent:
        return decode_stored(registry, self.event_type, self.data, self.erased)


@dataclass(frozen=True, slots=True)
class StreamAppend:
    """Events for one stream, valid only if the stream is still at `expected_version`."""

    stream_id: str
    expected_version: int
    events: Sequence[DomainEvent]
    org_path: Sequence[str] = ()
    event_ids: Sequence[uuid.UUID] = field(default=())

    def ids(self) -> list[uuid.UUID]:
        if self.event_ids:
            if len(self.event_ids) != len(self.events):
                raise ValueError("event_ids must match events one to one")
            return list(self.event_ids)
        return [uuid.uuid4() for _ in self.events]
