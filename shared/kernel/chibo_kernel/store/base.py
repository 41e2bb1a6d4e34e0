"""The event store port: the same contract for Postgres and for the in-memory twin."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from ..context import current_trace
from ..events import DomainEvent
from ..subjects import PRIVATE_SUFFIX, category_of, event_subject, is_private_category
from .recorded import RecordedEvent, StreamAppend
from .sealing import SEALED_KEY, SUBJECT_KEY

# Receives the connection inside the append's transaction (None in the in-memory store).
InlineProjection = Callable[[Any, Sequence[StreamAppend]], Awaitable[None]]


def per_event(apply: Callable[[Any, DomainEvent], Awaitable[None]]) -> InlineProjection:
    """An inline projection from a function that applies one event at a time, in order."""

    async def project(conn: Any, appends: Sequence[StreamAppend]) -> None:
        for append in appends:
            for event in append.events:
                await apply(conn, event)

    return project


class EventStore(Protocol):
    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[DomainEvent],
        *,
        org_path: Sequence[str] = (),
    ) -> int:
        """Append atomically; returns the stream's new version or raises ConcurrencyError."""

    async def append_batch(
        self, appends: Sequence[StreamAppend], *, project: InlineProjection | None = None
    ) -> list[int]:
        """Append to several streams in one transaction: all or nothing."""

    async def load(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        """The stream's events in version order."""


class AppendsThroughBatches:
    """Shared front of both stores: validate, then hand one batch to `_write_batch`."""

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[DomainEvent],
        *,
        org_path: Sequence[str] = (),
    ) -> int:
        (version,) = await self.append_batch(
            [StreamAppend(stream_id, expected_version, events, org_path)]
        )
        return version

    async def append_batch(
        self, appends: Sequence[StreamAppend], *, project: InlineProjection | None = None
    ) -> list[int]:
        """Append to several streams atomically. `project`, if given, updates the service's
        own read models in the same transaction: they can never disagree with the events."""
        for append in appends:
            validate_append(append)
        if len({a.stream_id for a in appends}) != len(appends):
            raise ValueError("a batch names the same stream twice; merge its events")
        await self._write_batch(appends, project)
        return [a.expected_version + len(a.events) for a in appends]

    async def _write_batch(
        self, appends: Sequence[StreamAppend], project: InlineProjection | None
    ) -> None:
        raise NotImplementedError


def validate_append(append: StreamAppend) -> None:
    """Refuse what must never reach the table, before any I/O.

    Private events (`published = False`) go only to streams whose category ends with
    `_private`, and published events never do: the relay skips private events, so a stream
    mixing both would reach consumers with gaps in its versions.
    """
    private_stream = is_private_category(category_of(append.stream_id))
    if append.expected_version < 0:
        raise ValueError("expected_version must be 0 or more")
    if not append.events:
        raise ValueError(f"nothing to append to {append.stream_id}")
    for event in append.events:
        if event.published == private_stream:
            raise ValueError(_mixed_privacy(event, append.stream_id))
        # Builds the subject now so a bad org token fails the command, not the relay.
        event_subject(event.event_type, append.stream_id, append.org_path)


def _mixed_privacy(event: DomainEvent, stream_id: str) -> str:
    why = (
        "published streams must have gap-free versions, because consumers apply version N "
        "only after N-1 and the relay never publishes private events"
    )
    if event.published:
        return (
            f"{event.event_type} is published, so it cannot go to {stream_id}: a category "
            f"ending with {PRIVATE_SUFFIX!r} holds private events only ({why})"
        )
    return (
        f"{event.event_type} is private, so it cannot go to {stream_id}: {why}; append it to "
        f"a stream of its own whose category ends with {PRIVATE_SUFFIX!r}"
    )


def metadata_json(
    org_path: Sequence[str],
    *,
    private: bool = False,
    subject: str | None = None,
    sealed: Sequence[str] = (),
) -> str:
    """One metadata document per append: its events share the trace that caused them.
    `subject`: whose data key seals the event's fields named in `sealed` (see `sealing`)."""
    trace = current_trace()
    meta: dict[str, Any] = {"correlation_id": trace.correlation_id, "org_path": list(org_path)}
    if trace.causation_id:
        meta["causation_id"] = trace.causation_id
    if trace.actor:
        meta["actor"] = trace.actor
    if trace.role:
        meta["role"] = trace.role
    if private:
        meta["private"] = True
    if subject is not None:
        meta[SUBJECT_KEY] = subject
        meta[SEALED_KEY] = list(sealed)
    return json.dumps(meta, separators=(",", ":"))
