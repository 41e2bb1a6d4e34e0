"""A durable consumer: FastStream fetches a batch, the kernel applies it in one transaction,
then settles it.

Acks go out only after the commit. A crash between commit and ack redelivers events the
gate then recognises as duplicates; a crash before commit redelivers events that were never
applied. Either way each event takes effect once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Sequence
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
from .batch import INFRASTRUCTURE_ERRORS, BatchProcessor, Outcome
from .batch_metrics import count_outcomes, record_lag
from .parking import ParkedMessage, ReplayReport, list_parked, replay_parked
from .received import Incoming, Projection, decode
from .settlement import log_parked, settle
from .spec import ConsumerSpec
from .subscriber import subscribe

log = get_logger("chibo.consumer")
PARKED_REFRESH_SECONDS = 30.0  # while idle; parking and replaying here update it at once


class ConsumerConfigConflict(Exception):
    """The server holds a durable consumer of this name with another configuration."""


class StreamMissing(Exception):
    """The stream to consume has not been declared yet: its owning service has not started."""


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
    ) -> None:
        self.spec = spec
        self._pool = pool
        self._broker = broker
        self._registry = registry
        self._processor = BatchProcessor(spec, projection)
        self._metrics = metrics
        self._parked_read_at = 0.0
        self._handled_at = 0.0
        self._failures = 0

    @property
    def _js(self) -> JetStreamContext:
        connection: NATS = self._broker.config.connection_state.connection
        return connection.jetstream()

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
        """Once the stream exists, FastStream pulls the batches (see subscriber.py) and this
        task watches: the lag while idle, the parked gauge, and the stop."""
        if not await self._wait_for_stream(stop):
            return
        subscriber = subscribe(self._broker, self, stop)
        await subscriber.start()
        try:
            await self._refresh_parked_gauge()
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.spec.fetch_timeout_seconds)
                if time.monotonic() - self._handled_at > self.spec.fetch_timeout_seconds:
                    await _quietly(self._record_idle_lag())
                if time.monotonic() - self._parked_read_at > PARKED_REFRESH_SECONDS:
                    await _quietly(self._refresh_parked_gauge())
        finally:
            # Waits for the batch in hand (the broker's graceful timeout); a batch fetched
            # and not yet handled is redelivered after ack_wait, and the gate dedupes it.
            await subscriber.stop()

    async def _record_idle_lag(self) -> None:
        """No batch lately: ask the server how far behind this consumer is."""
        info = await self._js.consumer_info(self.spec.stream, self.spec.name)
        self._record_lag(info.num_pending or 0)

    async def apply_batch(self, messages: Sequence[Msg], stop: asyncio.Event) -> None:
        """FastStream's handler: the batch, or after a failure a pause that grows (nothing
        was settled, so JetStream redelivers the batch after ack_wait)."""
        if stop.is_set():
            return
        try:
            await self.handle(messages, stop)
        except Exception as exc:  # the subscription outlives any failure
            self._failures += 1
            log.error("consumer batch failed", consumer=self.spec.name, error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), min(5.0, 0.1 * 2**self._failures))
        else:
            self._failures = 0
        finally:
            self._handled_at = time.monotonic()

    async def _refresh_parked_gauge(self) -> None:
        """From the database, not this process's memory: another replica, or an operator's
        replay, may have changed what is parked."""
        self._parked_read_at = time.monotonic()
        self._metrics.consumer_parked.labels(self.spec.name).set(
            await books.count_open_parked(self._pool, self.spec.name)
        )

    async def _wait_for_stream(self, stop: asyncio.Event) -> bool:
        """Services start in any order: a consumer waits for the stream's owner to declare
        it, rather than failing the whole service. False if asked to stop meanwhile."""
        attempt = 0
        while not stop.is_set():
            try:
                await self.declare()
                return True
            except StreamMissing:
                attempt += 1
                log.warning(
                    "waiting for the stream to be declared by its owning service",
                    consumer=self.spec.name,
                    stream=self.spec.stream,
                    attempt=attempt,
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
                    await _quietly(m.in_progress())
                if stop is not None and stop.is_set():
                    return None
                await asyncio.sleep(min(5.0, 0.1 * 2**attempt))

    async def _apply_once(self, incoming: list[Incoming]) -> list[Outcome]:
        async with self._pool.acquire() as conn:
            try:
                async with conn.transaction():
                    return await self._processor.apply(conn, incoming, isolate=False)
            except INFRASTRUCTURE_ERRORS:
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


async def _quietly(awaitable: Awaitable[object]) -> None:
    # Best effort: if this fails the batch is redelivered later and the gate dedupes it.
    with contextlib.suppress(Exception):
        await awaitable
