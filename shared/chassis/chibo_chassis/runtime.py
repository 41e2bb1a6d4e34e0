"""A service's connections and background loops, from start to a graceful stop.

Start: pool (and the keyring database's, when apart) → NATS → the service's own stream →
relay → consumers. Stop (SIGTERM through the HTTP server's lifespan): consumers and relay
finish the batch in hand and return, NATS is drained (pending publishes and acks flushed),
the pools are closed. Migrations are not run here: they are applied by a command before an
upgrade.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from nats.aio.client import Client as NATS

from chibo_kernel.consumer import EventConsumer, StreamMissing
from chibo_kernel.db import create_pool
from chibo_kernel.keyring import PostgresKeyring
from chibo_kernel.logging import get_logger
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.nats_client import nats_broker
from chibo_kernel.pool import LeanPool
from chibo_kernel.read_models import ConsumedGenerations, ConsumedReadModel, OwnReadModels
from chibo_kernel.relay import OutboxRelay
from chibo_kernel.store import PostgresEventStore, expire_periodically
from chibo_kernel.streams import StreamSpec, declare_stream

from .background import finish, spawn
from .health import Check, database_check, nats_check, reported, run_checks
from .http.access_log import AccessLog
from .keyring_database import keyring_check, open_keyring
from .read_model_watch import ReadModelWatch
from .retention import Category, RetentionSchedule
from .settings import KernelSettings
from .stream_health import stream_notices

log = get_logger("chibo.runtime")
IDEMPOTENCY_EXPIRY_SECONDS = 300.0  # expired keys wait at most this long to be deleted

ConsumerFactory = Callable[["ServiceRuntime"], EventConsumer]


class ServiceRuntime:
    def __init__(
        self,
        service: str,
        settings: KernelSettings,
        *,
        metrics: KernelMetrics | None = None,
        consumers: Sequence[ConsumerFactory] = (),
        consumed: Sequence[ConsumedReadModel] = (),
        own_read_models: OwnReadModels | None = None,
        retention: Sequence[Category] = (),  # the service's own, beside every service's
    ) -> None:
        self.service = service
        self.settings = settings
        self.retention = RetentionSchedule(service, settings.retention_file, retention)
        # Checked now, so a service without its master key stops before it listens.
        self._master_key = settings.master()
        if self._master_key.is_example:
            log.warning(
                "CHIBO_MASTER_KEY is the placeholder of .env.example, which anyone can read: "
                "set `openssl rand -base64 32` before any real personal data is stored"
            )
        self.metrics = metrics or KernelMetrics()
        # Reads of personal data, logged on the service's own database (k0007).
        self.access_log = AccessLog(service, lambda: self.pool, self.metrics)
        self.stream = StreamSpec(
            service,
            replicas=settings.stream_replicas,
            duplicate_window_seconds=settings.duplicate_window_seconds,
        )
        self._consumer_factories = list(consumers)
        self.own_read_models = own_read_models
        self._consumed = list(consumed)
        self.generations: list[ConsumedGenerations] = []
        self._read_models = (
            ReadModelWatch(service, own_read_models, self.metrics) if own_read_models else None
        )
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._pool: LeanPool | None = None
        self._keyring: PostgresKeyring | None = None
        self._keyring_pool: LeanPool | None = None  # the keyring database's, when apart
        self._nc: NATS | None = None
        self._store: PostgresEventStore | None = None
        self.consumers: list[EventConsumer] = []
        self.grace_seconds = 20.0
        self.dependency_interval = 15.0
        self.recheck_interval = 1.0  # while a dependency is down: notice its return soon
        self.broker = nats_broker(
            settings.nats_servers,
            name=f"chibo-{service}",
            user=settings.nats_user,
            password=settings.nats_password.get_secret_value() if settings.nats_password else None,
        )

    @property
    def all_consumers(self) -> list[EventConsumer]:
        """The consumers running in this process, those of read-model generations too."""
        return self.consumers + [c for g in self.generations for c in g.consumers]

    @property
    def pool(self) -> LeanPool:
        assert self._pool is not None, "the runtime has not started"
        return self._pool

    @property
    def keyring(self) -> PostgresKeyring:
        """The province's keyring (see `keyring_database`): erasure destroys keys here."""
        assert self._keyring is not None, "the runtime has not started"
        return self._keyring

    @property
    def nc(self) -> NATS:
        assert self._nc is not None, "the runtime has not started"
        return self._nc

    @property
    def store(self) -> PostgresEventStore:
        assert self._store is not None, "the runtime has not started"
        return self._store

    async def start(self) -> None:
        s = self.settings
        self._pool = await create_pool(
            s.database_url,
            min_size=1,
            max_size=s.db_pool_size,
            connect_timeout=s.db_connect_timeout_seconds,
            statement_timeout=s.db_statement_timeout_seconds,
            acquire_timeout=s.db_acquire_timeout_seconds,
        )
        self._keyring, self._keyring_pool = await open_keyring(s, self._pool, self._master_key)
        if self._read_models is not None:
            await self._read_models.check(self._pool)
        self._nc = await self.broker.connect()
        # The owner's store is recorded by the relay when it leads (`OutboxRelay._lead`).
        await declare_stream(self._nc.jetstream(), self.stream)
        relay = OutboxRelay(
            database_url=s.database_url,
            nc=self._nc,
            stream=self.stream,
            metrics=self.metrics,
            batch_size=s.relay_batch_size,
            poll_interval=s.relay_poll_seconds,
        )
        window = timedelta(seconds=s.idempotency_window_seconds)
        self._store = PostgresEventStore(
            self._pool,
            self.metrics,
            on_appended=relay.wake,
            idempotency_window=window,
            keyring=self._keyring,
        )
        self._spawn(relay.run(self._stop), "relay")
        every = min(IDEMPOTENCY_EXPIRY_SECONDS, s.idempotency_window_seconds)
        self._spawn(expire_periodically(self._store, self._stop, every), "idempotency expiry")
        self._spawn(self.retention.loop(self._pool, self.metrics, self._stop), "retention")
        for factory in self._consumer_factories:
            consumer = factory(self)
            try:
                await consumer.ensure_consumer()  # a conflicting config stops start-up here
            except StreamMissing:
                log.warning(
                    "stream not declared yet; the consumer will wait for it",
                    consumer=consumer.spec.name,
                    stream=consumer.spec.stream,
                )
            self.consumers.append(consumer)
            self._spawn(consumer.run(self._stop), f"consumer {consumer.spec.name}")
        for model in self._consumed:
            generations = ConsumedGenerations(
                model,
                pool=self._pool,
                broker=self.broker,
                metrics=self.metrics,
                retire_after_seconds=s.read_model_retire_seconds,
                keyring=self._keyring,
            )
            await generations.start()
            self.generations.append(generations)
        self._spawn(self._watch_dependencies(self._stop), "dependency watch")
        log.info("service started", stream=self.stream.name, consumers=len(self.all_consumers))

    async def stop(self) -> None:
        self._stop.set()
        for generations in self.generations:
            await generations.stop()
        await finish(self._tasks, self.grace_seconds)
        if self._nc is not None and not self._nc.is_closed:
            await self.broker.stop()  # drains the connection
        for pool in (self._pool, self._keyring_pool):
            if pool is not None:
                await pool.close()
        log.info("service stopped")

    def checks(self) -> dict[str, Check]:
        """The readiness checks; each result also moves `chibo_dependency_up` (with one
        WARNING line when a dependency goes down or comes back)."""
        status = self.metrics.dependencies

        async def database() -> None:
            await reported(status, "database", database_check(self.pool))

        async def nats() -> None:
            await reported(status, "nats", nats_check(self.nc))
            await stream_notices(
                self.service, self.pool, self.stream.name, self.all_consumers, self.metrics
            )

        checks: dict[str, Check] = {"database": database, "nats": nats}
        if self._keyring_pool is not None:
            checks["keyring"] = keyring_check(status, self._keyring_pool)
        return checks

    async def _watch_dependencies(self, stop: asyncio.Event) -> None:
        """Keep chibo_dependency_up current, so an alert fires on a lost database even when
        no orchestrator is probing /health/ready. A request that meets an outage marks the
        dependency down at once and wakes this loop, which then checks every second until
        the dependency is back."""
        status = self.metrics.dependencies
        while not stop.is_set():
            status.lost.clear()
            await run_checks(self.checks())
            if self._read_models is not None:
                with contextlib.suppress(Exception):  # the database check reports an outage
                    await self._read_models.check(self.pool)
            interval = self.recheck_interval if status.any_down else self.dependency_interval
            wake = asyncio.ensure_future(status.lost.wait())
            halt = asyncio.ensure_future(stop.wait())
            await asyncio.wait({wake, halt}, timeout=interval, return_when="FIRST_COMPLETED")
            for waiter in (wake, halt):
                waiter.cancel()

    @asynccontextmanager
    async def lifespan(self, _: Any = None) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    def _spawn(self, work: Any, name: str) -> None:
        self._tasks.append(spawn(work, name))
