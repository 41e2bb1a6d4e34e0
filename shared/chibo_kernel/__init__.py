"""chibo's event-sourcing kernel.

Events and envelope, the Postgres event store, the gap-safe outbox relay, stream
declaration, the idempotent consumer, and the operational basics (settings, logs, metrics,
health). Services import from here; the submodules are the implementation.
"""

from .consumer import ConsumerSpec, EventConsumer, PerEventProjection, Projection, ReceivedEvent
from .context import current_trace, traced
from .envelope import Envelope
from .errors import (
    ChiboError,
    ConcurrencyError,
    ConfigurationError,
    MalformedMessage,
    UnknownEventType,
)
from .events import DomainEvent, EventRegistry
from .metrics import KernelMetrics
from .relay import OutboxRelay
from .settings import KernelSettings, load_settings, settings_or_exit
from .store import (
    DuplicateEventId,
    EventStore,
    InMemoryEventStore,
    PostgresEventStore,
    RecordedEvent,
    StreamAppend,
)
from .streams import StreamSpec, declare_stream

__all__ = [
    "ChiboError",
    "ConcurrencyError",
    "ConfigurationError",
    "ConsumerSpec",
    "DomainEvent",
    "DuplicateEventId",
    "Envelope",
    "EventConsumer",
    "EventRegistry",
    "EventStore",
    "InMemoryEventStore",
    "KernelMetrics",
    "KernelSettings",
    "MalformedMessage",
    "OutboxRelay",
    "PerEventProjection",
    "PostgresEventStore",
    "Projection",
    "ReceivedEvent",
    "RecordedEvent",
    "StreamAppend",
    "StreamSpec",
    "UnknownEventType",
    "current_trace",
    "declare_stream",
    "load_settings",
    "settings_or_exit",
    "traced",
]
