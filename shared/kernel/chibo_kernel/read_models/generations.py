"""Running a consumed read model's generations in one instance of its service.

Every instance looks at `consumed_read_models` every few seconds, so a rebuild asked
anywhere (an instance, or the CLI, which only writes a row) reaches all of them. For each
live generation one instance at a time leads: it runs the generation's consumers and its
companion. The instance that first finds the building generation caught up switches it in;
the old generation's consumers stop at their next batch (the fence) or at the next look,
and once every instance has had time to look, its consumers and tables are dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import asyncpg
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext

from ..consumer import EventConsumer, StreamMissing
from ..consumer.durable import forget, pending
from ..keyring import Keyring
from ..logging import get_logger
from ..metrics import KernelMetrics
from ..pool import LeanPool
from ..relay.leadership import sleep_unless
from . import lease
from .consumed import Generation, adopt, live_generations, retired_generations, state_of
from .model import ConsumedReadModel, GenerationParts
from .switch import switch

log = get_logger("chibo.read_models")

LOOK_SECONDS = 5.0
# While a generation is built, its switch is looked for more often: an operator waits on it.
BUILDING_LOOK_SECONDS = 0.2
# An instance that has not looked since a switch still reads the old generation: it is
# dropped only after every instance has looked a few times.
RETIRE_AFTER_SECONDS = 30.0


@dataclass
class Running:
    generation: Generation
    consumers: list[EventConsumer]
    parts: GenerationParts
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    async def pending(self, js: JetStreamContext) -> int | None:
        counts = [await pending(js, c.spec) for c in self.consumers]
        return None if None in counts else sum(c or 0 for c in counts)

    async def caught_up(self, js: JetStreamContext) -> bool:
        companion = self.parts.companion
        return await self.pending(js) == 0 and (companion is None or not await companion.backlog())


class ConsumedGenerations:
    def __init__(
        self,
        model: ConsumedReadModel,
        *,
        pool: LeanPool,
        broker: NatsBroker,
        metrics: KernelMetrics,
        look_seconds: float = LOOK_SECONDS,
        retire_after_seconds: float = RETIRE_AFTER_SECONDS,
        keyring: Keyring | None = None,  # opens published events' sealed fields
    ) -> None:
        self.model = model
        self._keyring = keyring
        self._pool, self._broker, self._metrics = pool, broker, metrics
        self._look_seconds, self._retire_after = look_seconds, retire_after_seconds
        self.running: dict[int, Running] = {}
        self.active: int | None = None  # as of this instance's last look
        self.building: int | None = None
        self._stop = asyncio.Event()
        self._looking = asyncio.Lock()
        self._watch: asyncio.Task[None] | None = None
        self.leading: set[str] = set()  # the consumers this instance runs now

    @property
    def consumers(self) -> list[EventConsumer]:
        return [c for running in self.running.values() for c in running.consumers]

    async def start(self) -> None:
        await adopt(self._pool, self.model)
        await self.look()
        self._watch = asyncio.create_task(self._keep_looking(), name=f"{self.model.name} watch")

    async def stop(self) -> None:
        self._stop.set()
        if self._watch is not None:
            await asyncio.gather(self._watch, return_exceptions=True)
        for number in list(self.running):
            await self._halt(number)

    async def look(self) -> None:
        """Run the live generations, stop the others, switch a caught-up one, drop those
        switched out long enough ago."""
        async with self._looking:  # a rebuild asked here looks at once, beside the watch
            live = {g.number: g for g in await live_generations(self._pool, self.model)}
            for number in set(self.running) - set(live):
                await self._halt(number)
            for number in sorted(set(live) - set(self.running)):
                await self._run(live[number])
            self.active = next((n for n, g in live.items() if not g.building), None)
            building = next((n for n, g in live.items() if g.building), None)
            self.building = building
            if building is not None and await self._switched(building):
                for number in set(self.running) - {building}:
                    await self._halt(number)
                self.active, self.building = building, None
            retired = await retired_generations(self._pool, self.model, self._retire_after)
            for generation in retired:
                await self._retire(generation)

    async def _switched(self, building: int) -> bool:
        running = self.running.get(building)  # gone if its work just failed
        if running is None or not await running.caught_up(self._js()):
            return False
        return await switch(self._pool, self.model, building)

    async def _keep_looking(self) -> None:
        while not self._stop.is_set():
            building = self.building is not None
            wait = (
                min(self._look_seconds, BUILDING_LOOK_SECONDS) if building else self._look_seconds
            )
            await sleep_unless(self._stop, wait)
            if not self._stop.is_set():
                try:
                    await self.look()
                except Exception as exc:  # the database or NATS is away: look again later
                    log.warning("read-model generations unchecked", error=repr(exc))

    async def _run(self, generation: Generation) -> None:
        async with self._pool.acquire() as conn:
            await self.model.resume(conn, generation.number)
        consumers: list[EventConsumer] = []

        async def pending_now() -> int | None:
            return await Running(generation, consumers, parts).pending(self._js())

        parts = self.model.parts(generation.number, pending_now)
        for spec, registry in self.model.consumers(generation.base):
            consumer = EventConsumer(
                spec,
                pool=self._pool,
                broker=self._broker,
                registry=registry,
                projection=parts.projection,
                metrics=self._metrics,
                fence=self.model.fence(generation.number),
                keyring=self._keyring,
            )
            with contextlib.suppress(StreamMissing):  # `run` waits for the stream's owner
                await consumer.ensure_consumer()
            consumers.append(consumer)
        running = Running(generation, consumers, parts)
        running.task = asyncio.create_task(self._lead(running), name=generation.base)
        self.running[generation.number] = running

    async def _lead(self, running: Running) -> None:
        """One instance at a time runs a generation, under its lease (`lease.py`): two pulling
        one durable consumer would each hold later versions of an aggregate while the other
        applies earlier ones, retrying and, reading a whole stream, parking. Another instance
        takes over within half a second of the holder's session ending; an instance whose
        session (holding or awaiting the lease) ended stops, and its next look runs the
        generation afresh."""
        base, number = running.generation.base, running.generation.number
        try:
            async with self._pool.acquire() as conn:
                if not await lease.take(conn, base, running.stop):
                    return
                try:
                    # The lease may come free because its generation was just switched out.
                    state = await state_of(conn, self.model, number)
                    if state in ("active", "building"):
                        await self._work_leased(conn, running)
                finally:
                    self.leading -= {c.spec.name for c in running.consumers}
                    await lease.release(conn, base)
        except Exception as exc:  # the database restarted, failed over, ended the session
            log.warning("read-model generation lease lost", consumer=base, error=repr(exc))
            running.stop.set()
            if self.running.get(number) is running:  # the next look runs it afresh
                del self.running[number]

    async def _work_leased(self, conn: asyncpg.Connection, running: Running) -> None:
        names = {c.spec.name for c in running.consumers}
        log.info("read-model generation led here", consumers=sorted(names))
        self.leading |= names
        done = asyncio.Event()
        keeping = asyncio.create_task(lease.keep(conn, done, running.stop))
        try:
            await self._work(running)
        finally:
            done.set()
            (kept,) = await asyncio.gather(keeping, return_exceptions=True)
        if isinstance(kept, Exception):
            raise kept

    async def _work(self, running: Running) -> None:
        work = [c.run(running.stop) for c in running.consumers]
        if running.parts.companion is not None:
            work.append(running.parts.companion.run(running.stop))
        tasks = [asyncio.create_task(w) for w in work]
        try:
            await asyncio.gather(*tasks)
        except Exception as exc:  # the next look runs the generation afresh
            log.error(
                "read-model generation failed", consumer=running.generation.base, error=repr(exc)
            )
            running.stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            if self.running.get(running.generation.number) is running:
                del self.running[running.generation.number]

    async def _halt(self, number: int) -> None:
        running = self.running.pop(number)
        running.stop.set()
        if running.task is not None:
            await asyncio.gather(running.task, return_exceptions=True)

    async def _retire(self, generation: Generation) -> None:
        if generation.number in self.running:
            await self._halt(generation.number)
        specs = [spec for spec, _ in self.model.consumers(generation.base)]
        async with self._pool.acquire() as conn, conn.transaction():
            await forget(self._js(), conn, specs)
            await self.model.drop(conn, generation.number)
            await conn.execute(
                "UPDATE consumed_read_models SET state = 'dropped' "
                "WHERE name = $1 AND generation = $2",
                self.model.name,
                generation.number,
            )
        log.info("read-model generation dropped", read_model=self.model.name, generation=generation)

    def _js(self) -> JetStreamContext:
        connection: NATS = self._broker.config.connection_state.connection
        return connection.jetstream()
