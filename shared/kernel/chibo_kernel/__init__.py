"""chibo's event-sourcing kernel.

Events and envelope, the Postgres event store, the gap-safe outbox relay, stream
declaration, the idempotent consumer (a FastStream subscriber), aggregates and the
repository, logs and metrics. The HTTP and sign-in chassis is `chibo_chassis`, the
published contracts `chibo_contracts`. Services import from here; the submodules are the
implementation.

Names load on first use (PEP 562), so a process that needs only the embedded launcher does
not pay for SQLAlchemy, nats and Starlette at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ConsumerSpec": "consumer",
    "EventConsumer": "consumer",
    "PerEventProjection": "consumer",
    "Projection": "consumer",
    "ReceivedEvent": "consumer",
    "current_trace": "context",
    "traced": "context",
    "Envelope": "envelope",
    "ChiboError": "errors",
    "ConcurrencyError": "errors",
    "ConfigurationError": "errors",
    "MalformedMessage": "errors",
    "UnknownEventType": "errors",
    "DomainEvent": "events",
    "EventRegistry": "events",
    "KernelMetrics": "metrics",
    "OutboxRelay": "relay",
    "DuplicateEventId": "store",
    "EventStore": "store",
    "InMemoryEventStore": "store",
    "PostgresEventStore": "store",
    "RecordedEvent": "store",
    "StreamAppend": "store",
    "StreamSpec": "streams",
    "declare_stream": "streams",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'chibo_kernel' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # explicit re-exports for type checkers; at run time __getattr__ loads
    from .consumer import ConsumerSpec as ConsumerSpec
    from .consumer import EventConsumer as EventConsumer
    from .consumer import PerEventProjection as PerEventProjection
    from .consumer import Projection as Projection
    from .consumer import ReceivedEvent as ReceivedEvent
    from .context import current_trace as current_trace
    from .context import traced as traced
    from .envelope import Envelope as Envelope
    from .errors import ChiboError as ChiboError
    from .errors import ConcurrencyError as ConcurrencyError
    from .errors import ConfigurationError as ConfigurationError
    from .errors import MalformedMessage as MalformedMessage
    from .errors import UnknownEventType as UnknownEventType
    from .events import DomainEvent as DomainEvent
    from .events import EventRegistry as EventRegistry
    from .metrics import KernelMetrics as KernelMetrics
    from .relay import OutboxRelay as OutboxRelay
    from .store import DuplicateEventId as DuplicateEventId
    from .store import EventStore as EventStore
    from .store import InMemoryEventStore as InMemoryEventStore
    from .store import PostgresEventStore as PostgresEventStore
    from .store import RecordedEvent as RecordedEvent
    from .store import StreamAppend as StreamAppend
    from .streams import StreamSpec as StreamSpec
    from .streams import declare_stream as declare_stream
