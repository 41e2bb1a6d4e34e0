"""The outbox relay: events table → the service's JetStream stream, in order, nothing skipped.

- One relay per service publishes at a time: a session advisory lock elects it.
- A round reads committed rows past the checkpoint and publishes them with `Nats-Msg-Id` =
  event id and `Nats-Expected-Last-Msg-Id` = the previous event's id. The server refuses a
  message whose predecessor is not the stream's last, so the stream is always a gap-free
  prefix of the relay order, even when a reconnect loses in-flight messages and the client
  then flushes later ones it had buffered.
- Private events (`published = False`) are passed over. They belong to aggregates of their
  own, whose category ends with `_private` (the store refuses them anywhere else), so every
  published aggregate reaches consumers with gap-free versions, as their gate needs.
- The checkpoint moves only to the last contiguous PubAck. After any failure the relay re-reads
  the stream's tail: forwards if acks were lost, backwards (republishing) if JetStream lost some.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
from nats.aio.client import Client as NATS
from nats.js.api import PubAck

from ..db import asyncpg_url
from ..logging import get_logger
from ..metrics import KernelMetrics
from ..streams import StreamSpec, declare_stream
from .acks import PublishIncomplete, contiguous_acks
from .checkpoint import load_checkpoint, save_checkpoint
from .identity import store_identity
from .leadership import sleep_unless, wait_for_leadership
from .quarantine import count_open
from .reconcile import reconciled
from .rows import BATCH_SQL, LAG_SQL, Cursor, OutgoingMessage, to_message

__all__ = ["EXPECTED_LAST_MSG_ID", "OutboxRelay", "PublishIncomplete"]

log = get_logger("chibo.relay")

EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id"
_LAG_SCAN_CAP = 1_000_000


class OutboxRelay:
    def __init__(
        self,
        *,
        database_url: str,
        nc: NATS,
        stream: StreamSpec,
        metrics: KernelMetrics,
        batch_size: int = 1000,
        poll_interval: float = 0.05,
        ack_timeout: float = 5.0,
        max_backoff: float = 5.0,
    ) -> None:
        self._url = database_url
        self._nc = nc
        self._js = nc.jetstream(publish_async_max_pending=max(4000, batch_size))
        self._stream = stream
        self._metrics = metrics
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._ack_timeout = ack_timeout
        self._max_backoff = max_backoff
        self._source = f"/chibo/{stream.service}"
        self._wake = asyncio.Event()
        self._cursor: Cursor | None = None
        self._needs_reconcile = True
        self._tail_unknown_to_server = False
        self._prefetched: tuple[Cursor, list[Any]] | None = None
        self._in_flight: list[asyncio.Future[PubAck]] = []
        self._last_lag_check = 0.0
        self._store = ""  # this event store's id, read when leading
        self.is_leader = False

    @property
    def name(self) -> str:
        return self._stream.name

    def wake(self) -> None:
        """Called after a local append so publishing need not wait for the next poll."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        failures = 0
        while not stop.is_set():
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(asyncpg_url(self._url))
                await self._lead(conn, stop)
                while not stop.is_set():
                    published = await self.publish_round(conn)
                    failures = 0
                    if published == 0:
                        await self._idle(stop)
            except Exception as exc:  # the relay outlives any failure
                failures += 1
                self._needs_reconcile = True
                self._metrics.relay_errors.inc()
                log.warning(
                    "relay round failed; retrying",
                    stream=self.name,
                    error=repr(exc),
                    failures=failures,
                )
                if conn is not None and not conn.is_closed():
                    with contextlib.suppress(Exception):
                        await self._measure_lag(conn, force=True)
                await sleep_unless(stop, min(self._max_backoff, 0.05 * 2**failures))
            finally:
                self.is_leader = False
                if conn is not None:
                    await conn.close(timeout=2)

    async def _lead(self, conn: asyncpg.Connection, stop: asyncio.Event) -> None:
        if not await wait_for_leadership(conn, self.name, stop, self._metrics):
            return
        self.is_leader = True
        self._store = await store_identity(conn)
        # Here, not at start: an older release's leader publishes unparked until this one.
        await declare_stream(self._js, self._stream, self._store)
        self._cursor = await load_checkpoint(conn, self.name)
        log.info("relay leading", stream=self.name, checkpoint=self._cursor.key())

    async def publish_round(self, conn: asyncpg.Connection) -> int:
        """Publish one batch; returns how many events it passed (published, or private and
        passed over); 0 means there was nothing to do.

        While the batch's PubAcks come back, the next batch is read from Postgres, so the
        database and NATS round trips overlap.
        """
        if self._cursor is None:
            self._cursor = await load_checkpoint(conn, self.name)
        if self._needs_reconcile:
            self._prefetched = None
            await self._reconcile(conn)
        rows = self._take_prefetched() or await self._read(conn, self._cursor)
        if not rows:
            # Nothing publishable is not nothing waiting: an open writer anywhere on the
            # server holds committed events back, and that stall must show as lag.
            await self._measure_lag(conn, force=False)
            return 0
        messages = [to_message(r, self._source, self._store) for r in rows if not r["private"]]
        end = Cursor(
            rows[-1]["tx"],
            rows[-1]["position"],
            messages[-1].cursor.event_id if messages else self._cursor.event_id,
        )
        prefetch: asyncio.Future[list[Any]] | None = None
        cause: BaseException | None = None
        self._in_flight = []
        try:
            async with asyncio.timeout(self._ack_timeout):
                await self._send(messages)
                if len(rows) == self._batch_size:
                    prefetch = asyncio.ensure_future(self._read(conn, end))
                if self._in_flight:
                    await asyncio.wait(self._in_flight)
        except Exception as exc:  # timeouts and connection errors alike: count what was acked
            cause = exc
        acked, cause = contiguous_acks(self._in_flight, cause)
        next_rows = await _settled(prefetch)
        if acked < len(messages):
            if acked:
                self._cursor = messages[acked - 1].cursor
                await save_checkpoint(conn, self.name, self._cursor, acked)
                self._metrics.relay_published.inc(acked)
                self._tail_unknown_to_server = False
            raise PublishIncomplete(acked, len(messages), cause)
        self._cursor = end
        await save_checkpoint(conn, self.name, end, acked)
        self._metrics.relay_published.inc(acked)
        if acked:
            self._tail_unknown_to_server = False
        if next_rows is not None:
            self._prefetched = (end, next_rows)
        await self._measure_lag(conn, force=len(rows) < self._batch_size)
        return len(rows)

    async def _read(self, conn: asyncpg.Connection, after: Cursor) -> list[Any]:
        return list(await conn.fetch(BATCH_SQL, after.tx, after.position, self._batch_size))

    def _take_prefetched(self) -> list[Any] | None:
        prefetched, self._prefetched = self._prefetched, None
        if prefetched is None or prefetched[0] != self._cursor:
            return None
        return prefetched[1]

    async def _send(self, messages: Sequence[OutgoingMessage]) -> None:
        """Hand every message to the client; JetStream's acks arrive on `_in_flight`."""
        assert self._cursor is not None
        previous = None if self._tail_unknown_to_server else self._cursor.event_id
        for m in messages:
            if previous is not None:
                m.headers[EXPECTED_LAST_MSG_ID] = previous
            previous = m.cursor.event_id
            self._in_flight.append(
                await self._js.publish_async(m.subject, m.body, headers=m.headers)
            )

    async def _reconcile(self, conn: asyncpg.Connection) -> None:
        """Continue from the stream's last stored event, whichever side of the checkpoint."""
        assert self._cursor is not None
        if not self._store:
            self._store = await store_identity(conn)
        found = await reconciled(self._js, conn, self.name, self._cursor, self._store)
        self._cursor, self._tail_unknown_to_server = found.cursor, found.tail_unknown_to_server
        if found.quarantined:
            self._metrics.relay_quarantined.inc(found.quarantined)
        self._metrics.relay_quarantine_open.set(await count_open(conn, self.name))
        self._needs_reconcile = False

    async def _measure_lag(self, conn: asyncpg.Connection, *, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self._last_lag_check < 1.0:
            return
        self._last_lag_check = now
        assert self._cursor is not None
        row = await conn.fetchrow(LAG_SQL, self._cursor.tx, self._cursor.position, _LAG_SCAN_CAP)
        oldest: datetime | None = row["oldest"]
        self._metrics.relay_lag_events.set(row["events"])
        age = 0.0 if oldest is None else max(0.0, (datetime.now(UTC) - oldest).total_seconds())
        self._metrics.relay_lag_seconds.set(age)

    async def _idle(self, stop: asyncio.Event) -> None:
        self._wake.clear()
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(
                waiters, timeout=self._poll_interval, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for w in waiters:
                w.cancel()


async def _settled(prefetch: asyncio.Future[list[Any]] | None) -> list[Any] | None:
    """The prefetched rows, or None if there were none or reading them failed."""
    if prefetch is None:
        return None
    try:
        return await prefetch
    except Exception:
        return None
