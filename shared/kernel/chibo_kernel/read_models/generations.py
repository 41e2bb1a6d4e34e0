"""Running a consumed read model's generations in one instance of its service.

Every instance runs the consumers of the generations `consumed_read_models` names (sharing
each durable consumer with the other instances) and looks again every few seconds, so a
rebuild asked anywhere (an instance, or the CLI, which only writes the table) reaches all
of them. The instance that first finds the building generation caught up switches it in;
the old consumers stop at their next batch (the fence) or at the next look.
"""

from __future__ import annotations

import asyncio
import contextlib

from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext

from ..consumer import EventConsumer, StreamMissing
from ..consumer.durable import forget, pending
from ..logging import get_logger
from ..metrics import KernelMetrics
from ..pool import LeanPool
from ..relay.leadership import sleep_unless
from .consumed import (
    ACTIVE,
    BUILDING,
    ConsumedReadModel,
    adopt,
    live_generations,
    retired_generations,
)
from .schemas import swap_tables

log = get_logger("chibo.read_models")

LOOK_SECONDS = 5.0
# A restarted instance asks for the lease until the server has ended its predecessor's
# session: often a fraction of a second, and a roster waiting on it holds up its readiness.
LEASE_RETRY_SECONDS = 0.5
_LEASE = "SELECT pg_try_advisory_lock(hashtextextended('chibo-consumer:' || $1, 0))"
_RELEASE = "SELECT pg_advisory_unlock(hashtextextended('chibo-consumer:' || $1, 0))"
SWITCH_LOCK_TIMEOUT = "10s"


class ConsumedGenerations:
    def __init__(
        self,
        model: ConsumedReadModel,
        *,
        pool: LeanPool,
        broker: NatsBroker,
        metrics: KernelMetrics,
        look_seconds: float = LOOK_SECONDS,
    ) -> None:
        self.model = model
        self._pool, self._broker, self._metrics = pool, broker, metrics
        self._look_seconds = look_seconds
        self._running: dict[int, tuple[EventConsumer, asyncio.Event, asyncio.Task[None]]] = {}
        self._stop = asyncio.Event()
        self._watch: asyncio.Task[None] | None = None
        self.leading: set[str] = set()  # the consumers this instance runs now

    @property
    def consumers(self) -> list[EventConsumer]:
        return [consumer for consumer, _, _ in self._running.values()]

    async def start(self) -> None:
        await adopt(self._pool, self.model)
        await self.look()
        self._watch = asyncio.create_task(self._keep_looking(), name=f"{self.model.name} watch")

    async def stop(self) -> None:
        self._stop.set()
        if self._watch is not None:
            await asyncio.gather(self._watch, return_exceptions=True)
        for generation in list(self._running):
            await self._halt(generation)

    async def look(self) -> None:
        """Run the live generations' consumers, stop the others, switch a caught-up one."""
        live = await live_generations(self._pool, self.model)
        for generation in set(self._running) - set(live):
            await self._halt(generation)
        for generation in set(live) - set(self._running):
            await self._run(generation)
        building = [g for g, state in live.items() if state == BUILDING]
        if building and await self._caught_up(building[0]):
            await self._switch(building[0])
        for generation in await retired_generations(self._pool, self.model):
            await self._retire(generation)  # left by an instance that stopped mid-switch

    async def _keep_looking(self) -> None:
        while not self._stop.is_set():
            await sleep_unless(self._stop, self._look_seconds)
            if not self._stop.is_set():
                try:
                    await self.look()
                except Exception as exc:  # the database or NATS is away: look again later
                    log.warning("read-model generations unchecked", error=repr(exc))

    async def _run(self, generation: int) -> None:
        consumer = EventConsumer(
            self.model.spec_of(generation),
            pool=self._pool,
            broker=self._broker,
            registry=self.model.registry,
            projection=self.model.projection,
            metrics=self._metrics,
            fence=self.model.fence(generation),
        )
        with contextlib.suppress(StreamMissing):  # `run` waits for the stream's owner
            await consumer.ensure_consumer()
        stop = asyncio.Event()
        task = asyncio.create_task(self._lead(consumer, generation, stop), name=consumer.spec.name)
        self._running[generation] = (consumer, stop, task)

    async def _lead(self, consumer: EventConsumer, generation: int, stop: asyncio.Event) -> None:
        """One instance at a time runs a generation's consumer, under a session lock: two
        pulling one durable consumer would each hold later versions of an aggregate while
        the other applies earlier ones, retrying and, reading a whole stream, parking. The
        lock goes with the holder's connection, so another instance takes over within half a
        second of the holder's session ending."""
        name = consumer.spec.name
        async with self._pool.acquire() as conn:
            while not await conn.fetchval(_LEASE, name):
                await sleep_unless(stop, LEASE_RETRY_SECONDS)
                if stop.is_set():
                    return
            try:
                # The lease may come free because its generation was just switched out.
                if not await self.model.live(conn, generation):
                    return
                log.info("read-model consumer started", consumer=name)
                self.leading.add(name)
                await consumer.run(stop)
            finally:
                self.leading.discard(name)
                await conn.execute(_RELEASE, name)

    async def _halt(self, generation: int) -> None:
        _, stop, task = self._running.pop(generation)
        stop.set()
        await asyncio.gather(task, return_exceptions=True)

    async def _caught_up(self, generation: int) -> bool:
        return await pending(self._js(), self.model.spec_of(generation)) == 0

    async def _switch(self, generation: int) -> None:
        m = self.model
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock(hashtext($1))", m.name):
                return  # another instance is switching
            await conn.execute(f"SET LOCAL lock_timeout = '{SWITCH_LOCK_TIMEOUT}'")
            # FOR UPDATE waits for every batch in flight (each holds its row FOR SHARE).
            rows = await conn.fetch(
                "SELECT generation, state FROM consumed_read_models WHERE name = $1 "
                "AND state IN ('active', 'building') FOR UPDATE",
                m.name,
            )
            if (generation, BUILDING) not in {(r["generation"], r["state"]) for r in rows}:
                return
            old = [r["generation"] for r in rows if r["state"] == ACTIVE]
            await swap_tables(conn, m.tables, m.work_schema, m.retired_schema)
            await conn.execute(f"DROP SCHEMA {m.work_schema}")  # empty now
            await conn.execute(
                "UPDATE consumed_read_models SET state = 'retired', switched_at = now() "
                "WHERE name = $1 AND generation = ANY($2::int[])",
                m.name,
                old,
            )
            await conn.execute(
                "UPDATE consumed_read_models SET state = 'active', switched_at = now() "
                "WHERE name = $1 AND generation = $2",
                m.name,
                generation,
            )
        log.info("read model switched", read_model=m.name, generation=generation, retired=old)
        for number in old:
            await self._retire(number)

    async def _retire(self, generation: int) -> None:
        if generation in self._running:
            await self._halt(generation)
        async with self._pool.acquire() as conn, conn.transaction():
            await forget(self._js(), conn, [self.model.spec_of(generation)])
            await conn.execute(f"DROP SCHEMA IF EXISTS {self.model.retired_schema} CASCADE")
            await conn.execute(
                "UPDATE consumed_read_models SET state = 'dropped' "
                "WHERE name = $1 AND generation = $2",
                self.model.name,
                generation,
            )

    def _js(self) -> JetStreamContext:
        connection: NATS = self._broker.config.connection_state.connection
        return connection.jetstream()
