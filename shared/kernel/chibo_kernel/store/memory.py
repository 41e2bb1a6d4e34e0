"""An in-memory event store with the Postgres store's contract, for pure domain tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from ..errors import ConcurrencyError
from ..keyring import InMemoryKeyring, Keyring
from ..metrics import KernelMetrics
from .base import AppendsThroughBatches, InlineProjection, metadata_json
from .idempotency import (
    DEFAULT_WINDOW,
    EXPIRY_BATCH,
    Answer,
    IdempotencyKey,
    in_force,
    keyed_command_of,
)
from .postgres import DuplicateEventId
from .recorded import RecordedEvent, StreamAppend
from .sealing import open_recorded, seal_events


class InMemoryEventStore(AppendsThroughBatches):
    def __init__(
        self,
        metrics: KernelMetrics | None = None,
        idempotency_window: timedelta = DEFAULT_WINDOW,
        keyring: Keyring | None = None,
    ) -> None:
        """As the Postgres store's; the data keys live in memory, under a random master key
        unless `keyring` is given."""
        self.keyring: Keyring = keyring or InMemoryKeyring()
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._ids: set[str] = set()
        self._position = 0
        self._lock = asyncio.Lock()
        self._metrics = metrics or KernelMetrics()
        self._window = idempotency_window
        self._answers: dict[tuple[str, str], tuple[Answer, datetime]] = {}

    @asynccontextmanager
    async def keyed(self, key: IdempotencyKey) -> AsyncIterator[MemoryKeyedCommand]:
        """As the Postgres store's: the command's appends are undone unless it settles."""
        command = MemoryKeyedCommand(self, key)
        try:
            with in_force(self, command):
                yield command
        finally:
            if not command.settled:
                self._undo(command.written)

    async def recorded_answer(self, principal: str, key: str) -> Answer | None:
        kept = self._answers.get((principal, key))
        return kept[0] if kept is not None and kept[1] > datetime.now(UTC) else None

    async def expire(self, limit: int = EXPIRY_BATCH) -> int:
        now = datetime.now(UTC)
        gone = [k for k, (_, expires) in self._answers.items() if expires <= now][:limit]
        for k in gone:
            del self._answers[k]
        return len(gone)

    def _undo(self, written: list[RecordedEvent]) -> None:
        for recorded in reversed(written):
            self._streams[recorded.stream_id].remove(recorded)
            self._ids.discard(str(recorded.event_id))

    async def _write_batch(
        self, appends: Sequence[StreamAppend], project: InlineProjection | None
    ) -> None:
        sealed = iter(await seal_events(self._keys, [e for a in appends for e in a.events]))
        async with self._lock:
            staged: list[tuple[str, RecordedEvent]] = []
            for append in appends:
                meta = metadata_json(append.org_path)
                actual = len(self._streams.get(append.stream_id, []))
                if actual != append.expected_version:
                    self._metrics.append_conflicts.inc()
                    raise ConcurrencyError(append.stream_id, append.expected_version, actual)
                for offset, (event, event_id) in enumerate(
                    zip(append.events, append.ids(), strict=True)
                ):
                    if str(event_id) in self._ids:
                        raise DuplicateEventId()
                    stored = next(sealed)
                    staged.append(
                        (
                            append.stream_id,
                            RecordedEvent(
                                position=self._position + len(staged) + 1,
                                stream_id=append.stream_id,
                                version=actual + offset + 1,
                                event_id=event_id,
                                event_type=event.event_type,
                                data=stored.data,
                                metadata=json.loads(
                                    meta
                                    if event.published and stored.subject is None
                                    else metadata_json(
                                        append.org_path,
                                        private=not event.published,
                                        subject=stored.subject,
                                        sealed=stored.fields,
                                    )
                                ),
                                recorded_at=datetime.now(UTC),
                            ),
                        )
                    )
            keyed: MemoryKeyedCommand | None = keyed_command_of(self)
            if project is not None and keyed is not None:
                keyed.projections.append((project, appends))  # as Postgres: when it settles
            elif project is not None:
                await project(None, appends)  # before committing: a failure aborts the append
            for stream_id, recorded in staged:
                self._streams.setdefault(stream_id, []).append(recorded)
                self._ids.add(str(recorded.event_id))
            self._position += len(staged)
            if keyed is not None:
                keyed.written += [recorded for _, recorded in staged]
        self._metrics.events_appended.inc(len(staged))

    async def load(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        stored = [e for e in self._streams.get(stream_id, []) if e.version > after_version]
        return await open_recorded(self._keys, stored)

    def _keys(self) -> Keyring:
        return self.keyring


class MemoryKeyedCommand:
    def __init__(self, store: InMemoryEventStore, key: IdempotencyKey) -> None:
        self._store = store
        self._key = key
        self.written: list[RecordedEvent] = []
        self.projections: list[tuple[InlineProjection, Sequence[StreamAppend]]] = []
        self.settled = False

    async def settle(self, answer: Answer) -> Answer:
        store, key = self._store, (self._key.principal, self._key.key)
        first = await store.recorded_answer(*key)
        if first is not None:
            return first  # undone on leaving, as not settled
        for project, appends in self.projections:
            await project(None, appends)  # a failure leaves it unsettled: undone on leaving
        store._answers[key] = (answer, datetime.now(UTC) + store._window)
        self.settled = True
        return answer
