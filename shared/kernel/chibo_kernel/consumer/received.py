"""A message as a handler sees it, and the decoding that may fail."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import asyncpg
import structlog
from pydantic import ValidationError

from ..context import traced
from ..envelope import Envelope
from ..errors import MalformedMessage, UnknownEventType
from ..events import DomainEvent, EventRegistry


@dataclass(frozen=True, slots=True)
class ReceivedEvent:
    envelope: Envelope
    event: DomainEvent | None  # None only for an unknown type, which never reaches projections
    stream_seq: int
    deliveries: int


class Projection(Protocol):
    """Applies events, in stream order, inside the consumer's transaction.

    It receives every event the gate let through whose type the registry knows, including
    types it does not care about (it ignores those); batching lets a projection write a whole
    batch in one statement. Unknown types under the "skip" policy only advance the version.
    """

    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None: ...


class EventHandler(Protocol):
    async def __call__(self, conn: asyncpg.Connection, received: ReceivedEvent, /) -> None: ...


class PerEventProjection:
    """A projection from one handler per event type, called one event at a time."""

    def __init__(self, handlers: Mapping[str, EventHandler]) -> None:
        self._handlers = dict(handlers)

    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None:
        for received in events:
            handler = self._handlers.get(received.envelope.type)
            if handler is not None and received.event is not None:
                with handling(received):
                    await handler(conn, received)


@contextmanager
def handling(received: ReceivedEvent) -> Iterator[None]:
    """Run a handler inside the consumed event's trace: what it appends carries the same
    correlation id and names this event as its cause, and its log lines name the event."""
    envelope = received.envelope
    with (
        traced(envelope.correlation_id, causation_id=str(envelope.id)),
        structlog.contextvars.bound_contextvars(
            event_id=str(envelope.id), event_type=envelope.type
        ),
    ):
        yield


@dataclass(frozen=True, slots=True)
class Incoming:
    """One delivery, decoded as far as it would go."""

    subject: str
    headers: dict[str, str]
    body: bytes
    stream_seq: int
    deliveries: int
    envelope: Envelope | None
    received: ReceivedEvent | None
    problem: str | None  # why it could not be decoded: it gets parked
    unknown_type: bool = False

    @property
    def stream_id(self) -> str | None:
        return self.envelope.subject if self.envelope else None


def decode(
    *,
    subject: str,
    headers: dict[str, str] | None,
    body: bytes,
    stream_seq: int,
    deliveries: int,
    registry: EventRegistry,
) -> Incoming:
    hdrs = dict(headers or {})
    base: dict[str, Any] = dict(
        subject=subject, headers=hdrs, body=body, stream_seq=stream_seq, deliveries=deliveries
    )
    try:
        envelope = Envelope.from_nats(hdrs, body)
    except MalformedMessage as exc:
        return Incoming(**base, envelope=None, received=None, problem=exc.reason)
    try:
        event: DomainEvent | None = registry.decode(envelope.type, body)
        unknown = False
    except UnknownEventType:
        event, unknown = None, True
    except ValidationError as exc:
        problem = f"invalid {envelope.type} body: {exc.errors(include_url=False)}"
        return Incoming(**base, envelope=envelope, received=None, problem=problem)
    received = ReceivedEvent(envelope, event, stream_seq, deliveries)
    return Incoming(
        **base, envelope=envelope, received=received, problem=None, unknown_type=unknown
    )
