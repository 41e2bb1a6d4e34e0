"""An in-memory event store with the Postgres store's contract, for pure domain tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime

from ..errors import ConcurrencyError
from ..metrics import KernelMetrics
from .base import AppendsThroughBatches, InlineProjection, metadata_json
from .postgres import DuplicateEventId
from .recorded import RecordedEvent, StreamAppend


class InMemoryEventStore(AppendsThroughBatches):
    def __init__(self, metrics: KernelMetrics | None = None) -> None:
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._ids: set[str] = set()
        self._position = 0
        self._lock = asyncio.Lock()
        self._metrics = metrics or KernelMetrics()

    async def _write_batch(
        self, appends: Sequence[StreamAppend], project: InlineProjection | None
    ) -> None:
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
                    staged.append(
                        (
                            append.stream_id,
                            RecordedEvent(
                                position=self._position + len(staged) + 1,
                                stream_id=append.stream_id,
                                version=actual + offset + 1,
                                event_id=event_id,
                                event_type=event.event_type,
                                data=event.model_dump_json(),
                                metadata=json.loads(
                                    meta
                                    if event.published
                                    else metadata_json(append.org_path, private=True)
                                ),
                                recorded_at=datetime.now(UTC),
                            ),
                        )
                    )
            if project is not None:
                await project(None, appends)  # before committing: a failure aborts the append
            for stream_id, recorded in staged:
                self._streams.setdefault(stream_id, []).append(recorded)
                self._ids.add(str(recorded.event_id))
            self._position += len(staged)
        self._metrics.events_appended.inc(len(staged))

    async def load(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        return [e for e in self._streams.get(stream_id, []) if e.version > after_version]
