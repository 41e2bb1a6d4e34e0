"""Event store: Postgres (the truth) and an in-memory twin for domain tests."""

from .base import EventStore, InlineProjection, per_event
from .idempotency import (
    Answer,
    IdempotencyKey,
    IdempotencyLedger,
    KeyedCommand,
    expire_periodically,
)
from .memory import InMemoryEventStore
from .postgres import ConflictingRecord, DuplicateEventId, PostgresEventStore
from .recorded import RecordedEvent, StreamAppend

__all__ = [
    "Answer",
    "ConflictingRecord",
    "DuplicateEventId",
    "EventStore",
    "IdempotencyKey",
    "IdempotencyLedger",
    "InMemoryEventStore",
    "InlineProjection",
    "KeyedCommand",
    "PostgresEventStore",
    "RecordedEvent",
    "StreamAppend",
    "expire_periodically",
    "per_event",
]
