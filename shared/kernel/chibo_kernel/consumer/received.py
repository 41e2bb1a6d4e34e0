"""A message as a handler sees it, and the decoding that may fail."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol

import asyncpg
import structlog
from nats.aio.msg import Msg
from pydantic import ValidationError

from ..context import traced
from ..envelope import Envelope
from ..errors import MalformedMessage, UnknownEventType
from ..events import DomainEvent, EventRegistry
from ..store.erasure import decode_stored


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
    # Its body holds sealed fields, not opened yet: `sealed.open_sealed` decodes it.
    sealed: bool = False
    unreadable: str | None = None  # why its sealed fields could not be opened: parked

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
    if envelope.sealed:
        return Incoming(**base, envelope=envelope, received=None, problem=None, sealed=True)
    event, unknown, problem = _event(registry, envelope, body)
    if problem is not None:
        return Incoming(**base, envelope=envelope, received=None, problem=problem)
    received = ReceivedEvent(envelope, event, stream_seq, deliveries)
    return Incoming(
        **base, envelope=envelope, received=received, problem=None, unknown_type=unknown
    )


def decode_msg(msg: Msg, registry: EventRegistry) -> Incoming:
    """A message as fetched from JetStream."""
    meta = msg.metadata
    return decode(
        subject=msg.subject,
        headers=msg.headers,
        body=msg.data,
        stream_seq=meta.sequence.stream,
        deliveries=meta.num_delivered,
        registry=registry,
    )


def decoded(
    message: Incoming,
    registry: EventRegistry,
    data: bytes | str,
    erased: frozenset[str] = frozenset(),
) -> Incoming:
    """`message`, left undecoded by `decode` (sealed), decoded from `data`: its body with
    the sealed fields opened, `erased` those whose key was destroyed."""
    assert message.envelope is not None
    event, unknown, problem = _event(registry, message.envelope, data, erased)
    if problem is not None:
        return replace(message, sealed=False, problem=problem)
    received = ReceivedEvent(message.envelope, event, message.stream_seq, message.deliveries)
    return replace(message, sealed=False, received=received, unknown_type=unknown)


def _event(
    registry: EventRegistry,
    envelope: Envelope,
    data: bytes | str,
    erased: frozenset[str] = frozenset(),
) -> tuple[DomainEvent | None, bool, str | None]:
    """(the event, whether its type is unknown, why it is invalid)."""
    try:
        return decode_stored(registry, envelope.type, data, erased), False, None
    except UnknownEventType:
        return None, True, None
    except ValidationError as exc:
        return None, False, f"invalid {envelope.type} body: {exc.errors(include_url=False)}"
