"""The event store on PostgreSQL: one table, one append function, asyncpg on the hot path."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta

import asyncpg

from ..errors import ChiboError, ConcurrencyError
from ..keyring import Keyring, PostgresKeyring
from ..metrics import KernelMetrics
from ..pool import LeanPool
from .append_function import CONFLICT_SQLSTATE
from .base import AppendsThroughBatches, InlineProjection, metadata_json
from .idempotency import (
    DEFAULT_WINDOW,
    EXPIRY_BATCH,
    Answer,
    IdempotencyKey,
    in_force,
    keyed_command_of,
)
from .postgres_keys import PostgresKeyedCommand, expire_keys, find_answer
from .postgres_load import load_stream
from .recorded import RecordedEvent, StreamAppend
from .sealing import seal_events

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


class DuplicateEventId(ChiboError):
    code = "duplicate_event_id"

    def __init__(self) -> None:
        super().__init__("an event with this id is already stored", "sự kiện này đã được lưu")


class ConflictingRecord(ConcurrencyError):
    """A unique key of a read model written in the append's transaction refused the row: a
    request stored at the same moment holds it. Nothing was stored; the internals stay in
    the log."""

    code = "conflicting_record"

    def __init__(self) -> None:
        ChiboError.__init__(
            self,
            "another request stored the same record at the same moment; nothing was stored: "
            "reload and retry",
            "một yêu cầu khác vừa lưu cùng bản ghi này; chưa có gì được lưu: "
            "hãy tải lại và thử lại",
        )
        self.stream_id, self.expected, self.actual = "", -1, None


class PostgresEventStore(AppendsThroughBatches):
    def __init__(
        self,
        pool: LeanPool,
        metrics: KernelMetrics | None = None,
        on_appended: Callable[[], None] | None = None,
        idempotency_window: timedelta = DEFAULT_WINDOW,
        keyring: Keyring | None = None,
    ) -> None:
        """`on_appended` runs after each commit: a service passes its relay's `wake`, so
        events are published at once instead of at the next poll. `idempotency_window`:
        how long a command's Idempotency-Key and answer are kept. `keyring`: the data keys
        that seal private events' personal fields; by default this database's, under
        `$CHIBO_MASTER_KEY`, read when an event first needs it (see `sealing`)."""
        self._pool = pool
        self._keyring = keyring
        self._metrics = metrics or KernelMetrics()
        self._on_appended = on_appended
        self._window = idempotency_window

    @asynccontextmanager
    async def keyed(self, key: IdempotencyKey) -> AsyncIterator[PostgresKeyedCommand]:
        """See `postgres_keys.py`: this task's append is written with the key and answer as
        the command settles; leaving without settling stores nothing."""
        command = PostgresKeyedCommand(
            self._pool, key, self._window, committed=self._committed, translate=self._translate
        )
        try:
            with in_force(self, command):
                yield command
        finally:
            await command.close()

    @property
    def keyring(self) -> Keyring:
        """Where a service erases a person: `await store.keyring.destroy(member_id)`."""
        if self._keyring is None:
            self._keyring = PostgresKeyring.from_environment(self._pool)
        return self._keyring

    def _keys(self) -> Keyring:
        return self.keyring

    async def recorded_answer(self, principal: str, key: str) -> Answer | None:
        return await find_answer(self._pool, principal, key)

    async def expire(self, limit: int = EXPIRY_BATCH) -> int:
        return await expire_keys(self._pool, limit)

    def _committed(self, events: int) -> None:
        self._metrics.events_appended.inc(events)
        if events and self._on_appended is not None:
            self._on_appended()

    async def _write_batch(
        self, appends: Sequence[StreamAppend], project: InlineProjection | None
    ) -> None:
        keyed: PostgresKeyedCommand | None = keyed_command_of(self)
        if keyed is None and project is None and len(appends) == 1 and len(appends[0].events) == 1:
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
        sealed = iter(await seal_events(self._keys, [e for a in appends for e in a.events]))
        for append in appends:
            meta = metadata_json(append.org_path)
            for offset, (event, event_id) in enumerate(
                zip(append.events, append.ids(), strict=True)
            ):
                stored = next(sealed)
                e_streams.append(append.stream_id)
                e_versions.append(append.expected_version + offset + 1)
                e_ids.append(event_id)
                e_types.append(event.event_type)
                e_data.append(stored.data)
                e_meta.append(
                    meta
                    if event.published and stored.subject is None
                    else metadata_json(
                        append.org_path,
                        private=not event.published,
                        subject=stored.subject,
                        sealed=stored.fields,
                    )
                )
        args = (streams, expected, e_streams, e_versions, e_ids, e_types, e_data, e_meta)
        if keyed is not None:  # written, committed and counted as the command settles
            await keyed.write(args, appends, project)
            return
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
        (stored,) = await seal_events(self._keys, append.events)
        try:
            status = await self._pool.execute(
                _APPEND_ONE,
                append.stream_id,
                append.expected_version,
                event_id,
                event.event_type,
                stored.data,
                metadata_json(
                    append.org_path,
                    private=not event.published,
                    subject=stored.subject,
                    sealed=stored.fields,
                ),
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
        constraint = getattr(exc, "constraint_name", "")
        if state == "23505" and constraint == "events_event_id_key":
            return DuplicateEventId()
        if state == "23505" and constraint == "events_pkey":
            # the primary key caught a race the version check missed: the stream is named in
            # the row the key refused, e.g. `Key (stream_id, version)=(member-1, 1) ...`
            self._metrics.append_conflicts.inc()
            stream_id = _stream_in(getattr(exc, "detail", "") or "", expected)
            return ConcurrencyError(stream_id, expected.get(stream_id, -1), None)
        if state == "23505":
            return ConflictingRecord()
        return exc

    async def load(self, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        keyed: PostgresKeyedCommand | None = keyed_command_of(self)
        if keyed is not None and keyed.appended:  # sees the command's own appends
            conn = await keyed.connection()
            return await load_stream(conn, self._keys, stream_id, after_version, conn)
        return await load_stream(self._pool, self._keys, stream_id, after_version)


def _stream_in(detail: str, expected: dict[str, int]) -> str:
    for stream_id in expected:
        if f"=({stream_id}, " in detail:
            return stream_id
    return next(iter(expected)) if len(expected) == 1 else "?"
