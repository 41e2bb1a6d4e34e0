"""The event store on PostgreSQL: one table, one append function, asyncpg on the hot path."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence

import asyncpg

from ..errors import ChiboError, ConcurrencyError
from ..metrics import KernelMetrics
from ..pool import LeanPool
from .append_function import CONFLICT_SQLSTATE
from .base import AppendsThroughBatches, InlineProjection, metadata_json
from .recorded import RecordedEvent, StreamAppend

_APPEND = "SELECT chibo_append_events($1, $2, $3, $4, $5, $6, $7, $8)"
# The common case, one event to one stream, as plain SQL: no function call, no arrays. The
# row is inserted only if the stream is still at the expected version; the primary key
# stops a concurrent writer of the same version.
_APPEND_ONE = """
INSERT INTO events (stream_id, version, event_id, event_type, data, metadata)
SELECT $1, $2 + 1, $3, $4, $5, $6
 WHERE (SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1) = $2
"""
_VERSION = "SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1"
_LOAD = """
SELECT position, stream_id, version, event_id, event_type, data, metadata, recorded_at
  FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version
"""


class DuplicateEventId(ChiboError):
    code = "duplicate_event_id"

    def __init__(self) -> None:
        super().__init__("an event with this id is already stored", "sự kiện này đã được lưu")


class PostgresEventStore(AppendsThroughBatches):
    def __init__(
        self,
        pool: LeanPool,
        metrics: KernelMetrics | None = None,
        on_appended: Callable[[], None] | None = None,
    ) -> None:
        """`on_appended` runs after each commit: a service passes its relay's `wake`, so
        events are published at once instead of at the next poll."""
        self._pool = pool
        self._metrics = metrics or KernelMetrics()
        self._on_appended = on_appended

    async def _write_batch(
        self, appends: Sequence[StreamAppend], project: InlineProjection | None
    ) -> None:
        if project is None and len(appends) == 1 and len(appends[0].events) == 1:
            await self._write_one(appends[0])
            return
        streams = [a.stream_id for a in appends]
        expected = [a.expected_version for a in appends]
        e_streams: list[str] = []
        e_versions: list[int] = []
        e_ids: list[uuid.UUID] = []
        e_types: list[str] = []
        e_data: list[str] = []
        e_meta: list[str] = []
        for append in appends:
            meta = metadata_json(append.org_path)
            for offset, (event, event_id) in enumerate(
                zip(append.events, append.ids(), strict=True)
            ):
                e_streams.append(append.stream_id)
                e_versions.append(append.expected_version + offset + 1)
                e_ids.append(event_id)
                e_types.append(event.event_type)
                e_data.append(event.model_dump_json())
                e_meta.append(
                    meta if event.published else metadata_json(append.org_path, private=True)
                )
        args = (streams, expected, e_streams, e_versions, e_ids, e_types, e_data, e_meta)
        try:
            if project is None:
                await self._pool.execute(_APPEND, *args)
            else:
                async with self._pool.acquire() as conn, conn.transaction():
                    await conn.execute(_APPEND, *args)
                    await project(conn, appends)
        except asyncpg.PostgresError as exc:
            raise self._translate(exc, appends) from exc
        self._metrics.events_appended.inc(len(e_ids))
        if self._on_appended is not None:
            self._on_appended()

    async def _write_one(self, append: StreamAppend) -> None:
        (event,) = append.events
        (event_id,) = append.ids()
        try:
            status = await self._pool.execute(
                _APPEND_ONE,
                append.stream_id,
                append.expected_version,
                event_id,
                event.event_type,
                event.model_dump_json(),
                metadata_json(append.org_path, private=not event.published),
            )
        except asyncpg.PostgresError as exc:
            raise self._translate(exc, [append]) from exc
        if status == "INSERT 0 0":
            self._metrics.append_conflicts.inc()
            actual = await self._pool.fetchval(_VERSION, append.stream_id)
            raise ConcurrencyError(append.stream_id, append.expected_version, actual)
        self._metrics.events_appended.inc()
        if self._on_appended is not None:
            self._on_appended()

    def _translate(self, exc: Exception, appends: Sequence[StreamAppend]) -> Exception:
        expected = {a.stream_id: a.expected_version for a in appends}
        state = getattr(exc, "sqlstate", None)
        if state == CONFLICT_SQLSTATE:
            self._metrics.append_conflicts.inc()
            stream_id, _, actual = (getattr(exc, "detail", "") or "").rpartition(":")
            return ConcurrencyError(stream_id, expected.get(stream_id, -1), int(actual))
        if state == "23505":  # unique violation: the primary key caught a race the check missed
            if getattr(exc, "constraint_name", "") == "events_event_id_key":
                return DuplicateEventId()
            self._metrics.append_conflicts.inc()
            stream_id = appends[0].stream_id if len(appends) == 1 else "?"
            return ConcurrencyError(stream_id, expected.get(stream_id, -1), None)
        return exc

    async def load(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        rows = await self._pool.fetch(_LOAD, stream_id, after_version)
        return [
            RecordedEvent(
                position=row["position"],
                stream_id=row["stream_id"],
                version=row["version"],
                event_id=row["event_id"],
                event_type=row["event_type"],
                data=row["data"],
                metadata=json.loads(row["metadata"]),
                recorded_at=row["recorded_at"],
            )
            for row in rows
        ]
