"""Event store: Postgres (the truth) and an in-memory twin for domain tests."""

from .base import EventStore, InlineProjection, per_event
from .memory import InMemoryEventStore
from .postgres import DuplicateEventId, PostgresEventStore
from .recorded import RecordedEvent, StreamAppend

__all__ = [
    "DuplicateEventId",
    "EventStore",
    "InMemoryEventStore",
    "InlineProjection",
    "PostgresEventStore",
    "RecordedEvent",
    "StreamAppend",
    "per_event",
]
