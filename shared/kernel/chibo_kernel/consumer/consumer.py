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

from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.errors import NoRespondersError
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError, ServiceUnavailableError

from ..events import EventRegistry
from ..keyring import Keyring
from ..logging import get_logger
from ..metrics import KernelMetrics
from ..pool import LeanPool
from ..relay.leadership import sleep_unless
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
from .received import Incoming, Projection, decode_msg
from .sealed import Decoding
from .settlement import log_parked, quietly, settle
from .spec import ConsumerSpec
from .upkeep import DurableUpkeep, wait_for_stream

log = get_logger("chibo.consumer")
PARKED_REFRESH_SECONDS = 30.0  # while idle; parking and replaying here update it at once
# What a pull gets once its durable consumer is gone: no responders on its subject.
CONSUMER_GONE = (ServiceUnavailableError, NoRespondersError, NotFoundError)


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
        keyring: Keyring | None = None,
    ) -> None:
        """`keyring`: the province's, which opens published events' sealed fields."""
        self.spec = spec
        self._pool = pool
        self._broker = broker
        self._decoding = Decoding(registry, keyring)
        self._processor = BatchProcessor(spec, projection, fence)
        self._metrics = metrics
        self._upkeep = DurableUpkeep(spec, lambda: self._js, pool, metrics, self._processor, fence)
        self._sub: JetStreamContext.PullSubscription | None = None
        self._parked_read_at = 0.0

    @property
    def problem(self) -> str | None:
        """Why this consumer's read model may not be current (for readiness), or None."""
        return self._upkeep.problem

    @property
    def _js(self) -> JetStreamContext:
        connection: NATS = self._broker.config.connection_state.connection
        return connection.jetstream()

    async def ensure_consumer(self) -> None:
        await self.declare()
        self._sub = await self._js.pull_subscribe_bind(self.spec.name, self.spec.stream)

    async def declare(self) -> None:
        """The durable consumer on the server, with this configuration; created from the
        checkpoint if the read model has one."""
        await self._upkeep.declare()

    async def run(self, stop: asyncio.Event) -> None:
        if self._sub is None and not await wait_for_stream(self.spec, self.ensure_consumer, stop):
            return
        assert self._sub is not None
        await self._refresh_parked_gauge()
        failures, sub, retired = 0, self._sub, asyncio.Event()
        ahead: asyncio.Future[list[Msg]] | None = None
        watch = asyncio.create_task(self._watch(stop, retired), name=f"{self.spec.name} watch")
        try:
            while not stop.is_set() and not retired.is_set():
                try:
                    messages = await (ahead or self._fetch(sub))
                except TimeoutError:  # nothing to fetch; the watch measures the lag
                    if time.monotonic() - self._parked_read_at > PARKED_REFRESH_SECONDS:
                        await quietly(self._refresh_parked_gauge())
                    continue
                except CONSUMER_GONE:  # deleted on the server: recreate it now
                    if not await self._upkeep.check():
                        retired.set()
                    await sleep_unless(stop, 0.2)
                    continue
                except Exception as exc:  # NATS away: fetch again once it is back
                    self._upkeep.unknown(f"fetch failed: {type(exc).__name__}")
                    await sleep_unless(stop, 1.0)
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
            watch.cancel()
            if ahead is not None:  # fetched but never handled: redelivered after ack_wait
                ahead.cancel()
            await asyncio.gather(watch, *([ahead] if ahead else []), return_exceptions=True)
            # A pull subscription left behind holds the connection's drain for its full
            # timeout (status messages nobody reads); the durable consumer stays on the server.
            await quietly(sub.unsubscribe())
            self._sub = None

    async def _watch(self, stop: asyncio.Event, retired: asyncio.Event) -> None:
        """Every few seconds: is the durable consumer there, as configured; what is the lag."""
        while not stop.is_set():
            if not await self._upkeep.check():
                log.info("consumer retired: another generation serves", consumer=self.spec.name)
                retired.set()
                return
            await sleep_unless(stop, self.spec.watch_seconds)

    async def _refresh_parked_gauge(self) -> None:
        """From the database, not this process's memory: another replica, or an operator's
        replay, may have changed what is parked."""
        self._parked_read_at = time.monotonic()
        self._metrics.consumer_parked.labels(self.spec.name).set(
            await books.count_open_parked(self._pool, self.spec.name)
        )

    async def _fetch(self, sub: JetStreamContext.PullSubscription) -> list[Msg]:
        return list(await sub.fetch(self.spec.batch_size, timeout=self.spec.fetch_timeout_seconds))

    async def handle(self, messages: Sequence[Msg], stop: asyncio.Event | None = None) -> None:
        name = self.spec.name
        incoming = [decode_msg(m, self._decoding.registry) for m in messages]
        redelivered = sum(1 for m in incoming if m.deliveries > 1)
        if redelivered:
            self._metrics.consumer_redeliveries.labels(name).inc(redelivered)
        with self._metrics.consumer_batch_seconds.labels(name).time():
            applied = await self._apply_until_committed(incoming, messages, stop)
        if applied is None:
            return  # stopping before the commit: JetStream redelivers after ack_wait
        incoming, outcomes = applied
        await self._settle(messages, outcomes)
        log_parked(self.spec.name, incoming, outcomes)
        # Messages that failed to decode carry no usable time: the newest that did counts.
        newest = next((m.envelope.time for m in reversed(incoming) if m.envelope is not None), None)
        pending = messages[-1].metadata.num_pending
        self._upkeep.record_pending(pending)
        record_lag(self._metrics, name, self.spec.stream, pending, newest)

    async def parked(self, *, include_replayed: bool = False) -> list[ParkedMessage]:
        return await list_parked(self._pool, self.spec.name, include_replayed=include_replayed)

    async def replay_parked(self, ids: Sequence[int] | None = None) -> ReplayReport:
        # Foreign messages stay parked unless the stream's owner is known to tell them apart.
        with contextlib.suppress(Exception):
            await self._upkeep.refresh_owner()
        report = await replay_parked(
            self._pool, self._processor, self._decoding, self.spec.name, self.spec.max_deliver, ids
        )
        await self._refresh_parked_gauge()
        return report

    async def _apply_until_committed(
        self, incoming: list[Incoming], messages: Sequence[Msg], stop: asyncio.Event | None
    ) -> tuple[list[Incoming], list[Outcome]] | None:
        """The batch, its sealed fields opened, and each message's outcome."""
        attempt = 0
        while True:
            try:  # the keyring's database may be away too: then the batch is held as well
                opened = await self._decoding.opened(incoming)
                return opened, await self._apply_once(opened)
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
        counts = await settle(messages, outcomes)
        count_outcomes(self._metrics, self.spec.name, counts, outcomes)
        if counts["parked"]:
            await self._refresh_parked_gauge()
