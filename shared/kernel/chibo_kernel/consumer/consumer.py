"""The durable pull consumer loop: fetch a batch, apply it in one transaction, then settle.
On the connection the FastStream broker manages, with a fetch loop of its own (see
nats_client.py for why not FastStream's subscriber).

Acks go out only after the commit. A crash between commit and ack redelivers events the
gate then recognises as duplicates; a crash before commit redelivers events that were never
applied. Either way each event takes effect once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from datetime import datetime

from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import BadRequestError, NotFoundError

from ..events import EventRegistry
from ..logging import get_logger
from ..metrics import KernelMetrics
from ..pool import LeanPool
from . import bookkeeping as books
from .batch import (
    INFRASTRUCTURE_ERRORS,
    NOT_THE_EVENTS,
    BatchProcessor,
    ConsumerRetired,
    Fence,
    Outcome,
)
from .batch_metrics import count_outcomes, record_lag
from .parking import ParkedMessage, ReplayReport, list_parked, replay_parked
from .received import Incoming, Projection, decode
from .settlement import log_parked, quietly, settle
from .spec import ConsumerConfigConflict, ConsumerSpec, StreamMissing

log = get_logger("chibo.consumer")
PARKED_REFRESH_SECONDS = 30.0  # while idle; parking and replaying here update it at once


class EventConsumer:
    def __init__(
        self,
        spec: ConsumerSpec,
        *,
        pool: LeanPool,
        broker: NatsBroker,
        registry: EventRegistry,
        projection: Projection,
        metrics: KernelMetrics,
        fence: Fence | None = None,
    ) -> None:
        self.spec = spec
        self._pool = pool
        self._broker = broker
        self._registry = registry
        self._processor = BatchProcessor(spec, projection, fence)
        self._metrics = metrics
        self._sub: JetStreamContext.PullSubscription | None = None
        self._parked_read_at = 0.0

    @property
    def _js(self) -> JetStreamContext:
        connection: NATS = self._broker.config.connection_state.connection
        return connection.jetstream()

    async def ensure_consumer(self) -> None:
        await self.declare()
        self._sub = await self._js.pull_subscribe_bind(self.spec.name, self.spec.stream)

    async def declare(self) -> None:
        """The durable consumer on the server, with exactly this configuration."""
        try:
            await self._js.add_consumer(self.spec.stream, self.spec.server_config())
        except NotFoundError as exc:
            raise StreamMissing(f"stream {self.spec.stream} does not exist yet") from exc
        except BadRequestError as exc:
            raise ConsumerConfigConflict(
                f"durable consumer {self.spec.name} exists with another configuration; "
                "give the changed consumer a new versioned name"
            ) from exc

    async def run(self, stop: asyncio.Event) -> None:
        if self._sub is None and not await self._wait_for_stream(stop):
            return
        assert self._sub is not None
        await self._refresh_parked_gauge()
        failures = 0
        sub = self._sub
        ahead: asyncio.Future[list[Msg]] | None = None
        try:
            while not stop.is_set():
                try:
                    messages = await (ahead or self._fetch(sub))
                except TimeoutError:
                    self._record_lag(0)  # nothing to fetch: caught up
                    if time.monotonic() - self._parked_read_at > PARKED_REFRESH_SECONDS:
                        await quietly(self._refresh_parked_gauge())
                    continue
                finally:
                    ahead = None
                if not messages:
                    continue
                # The next batch travels from the server while this one is applied; it is
                # handled only after this one is committed and settled, so order holds.
                ahead = asyncio.ensure_future(self._fetch(sub))
                try:
                    await self.handle(messages, stop)
                except ConsumerRetired:
                    log.info("consumer retired: another generation serves", consumer=self.spec.name)
                    return
                except Exception as exc:  # the loop outlives any failure
                    # Nothing was settled: JetStream redelivers the batch after ack_wait.
                    failures += 1
                    log.error("consumer batch failed", consumer=self.spec.name, error=repr(exc))
                    await asyncio.sleep(min(5.0, 0.1 * 2**failures))
                else:
                    failures = 0
        finally:
            if ahead is not None:  # fetched but never handled: redelivered after ack_wait
                ahead.cancel()
                await asyncio.gather(ahead, return_exceptions=True)
            # A pull subscription left behind holds the connection's drain for its full
            # timeout (status messages nobody reads); the durable consumer stays on the server.
            await quietly(sub.unsubscribe())
            self._sub = None

    async def _refresh_parked_gauge(self) -> None:
        """From the database, not this process's memory: another replica, or an operator's
        replay, may have changed what is parked."""
        self._parked_read_at = time.monotonic()
        self._metrics.consumer_parked.labels(self.spec.name).set(
            await books.count_open_parked(self._pool, self.spec.name)
        )

    async def _fetch(self, sub: JetStreamContext.PullSubscription) -> list[Msg]:
        return list(await sub.fetch(self.spec.batch_size, timeout=self.spec.fetch_timeout_seconds))

    async def _wait_for_stream(self, stop: asyncio.Event) -> bool:
        """Services start in any order: a consumer waits for the stream's owner to declare
        it, rather than failing the whole service. False if asked to stop meanwhile."""
        attempt = 0
        while not stop.is_set():
            try:
                await self.ensure_consumer()
                return True
            except StreamMissing:
                attempt += 1
                log.warning(
                    "waiting for the stream to be declared by its owning service",
                    **{"consumer": self.spec.name, "stream": self.spec.stream, "attempt": attempt},
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=min(5.0, 0.2 * 2**attempt))
        return False

    async def handle(self, messages: Sequence[Msg], stop: asyncio.Event | None = None) -> None:
        name = self.spec.name
        incoming = [self._decode(m) for m in messages]
        redelivered = sum(1 for m in incoming if m.deliveries > 1)
        if redelivered:
            self._metrics.consumer_redeliveries.labels(name).inc(redelivered)
        with self._metrics.consumer_batch_seconds.labels(name).time():
            outcomes = await self._apply_until_committed(incoming, messages, stop)
        if outcomes is None:
            return  # stopping before the commit: JetStream redelivers after ack_wait
        await self._settle(messages, outcomes)
        log_parked(self.spec.name, incoming, outcomes)
        # Messages that failed to decode carry no usable time: the newest that did counts.
        newest = next((m.envelope.time for m in reversed(incoming) if m.envelope is not None), None)
        self._record_lag(messages[-1].metadata.num_pending, newest)

    async def parked(self, *, include_replayed: bool = False) -> list[ParkedMessage]:
        return await list_parked(self._pool, self.spec.name, include_replayed=include_replayed)

    async def replay_parked(self, ids: Sequence[int] | None = None) -> ReplayReport:
        report = await replay_parked(
            self._pool, self._processor, self._registry, self.spec.name, self.spec.max_deliver, ids
        )
        self._metrics.consumer_parked.labels(self.spec.name).set(
            await books.count_open_parked(self._pool, self.spec.name)
        )
        return report

    def _record_lag(self, pending: int, newest: datetime | None = None) -> None:
        record_lag(self._metrics, self.spec.name, self.spec.stream, pending, newest)

    def _decode(self, msg: Msg) -> Incoming:
        meta = msg.metadata
        return decode(
            subject=msg.subject,
            headers=msg.headers,
            body=msg.data,
            stream_seq=meta.sequence.stream,
            deliveries=meta.num_delivered,
            registry=self._registry,
        )

    async def _apply_until_committed(
        self, incoming: list[Incoming], messages: Sequence[Msg], stop: asyncio.Event | None
    ) -> list[Outcome] | None:
        attempt = 0
        while True:
            try:
                return await self._apply_once(incoming)
            except INFRASTRUCTURE_ERRORS as exc:
                attempt += 1
                log.warning(
                    "database unavailable; holding the batch",
                    consumer=self.spec.name,
                    error=repr(exc),
                    attempt=attempt,
                )
                # Keep the messages ours while we wait, without spending their deliveries.
                for m in messages:
                    await quietly(m.in_progress())
                if stop is not None and stop.is_set():
                    return None
                await asyncio.sleep(min(5.0, 0.1 * 2**attempt))

    async def _apply_once(self, incoming: list[Incoming]) -> list[Outcome]:
        async with self._pool.acquire() as conn:
            try:
                async with conn.transaction():
                    return await self._processor.apply(conn, incoming, isolate=False)
            except NOT_THE_EVENTS:
                raise
            except Exception as exc:
                log.warning(
                    "projection failed on a batch; isolating events",
                    consumer=self.spec.name,
                    error=repr(exc),
                )
            async with conn.transaction():
                return await self._processor.apply(conn, incoming, isolate=True)

    async def _settle(self, messages: Sequence[Msg], outcomes: Sequence[Outcome]) -> None:
        name = self.spec.name
        counts = await settle(messages, outcomes)
        count_outcomes(self._metrics, name, counts, outcomes)
        if counts["parked"]:
            self._metrics.consumer_parked.labels(name).set(
                await books.count_open_parked(self._pool, name)
            )
