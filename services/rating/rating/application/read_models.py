"""The consumed read models and their generations: which schema queries read, the durable
consumers that fill it, and the rebuild that fills the next one while the old one serves
(the switch to it once caught up: `generation_switch.py`).

Consumer names carry this database's instance id and the generation: a durable consumer's
acks only mean something together with the checkpoints in the database it feeds, so a
fresh database (or a rebuild) never inherits another's position.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from chibo_chassis.runtime import ServiceRuntime
from chibo_contracts.assignment import REGISTRY as ASSIGNMENT_EVENTS
from chibo_contracts.attendance import REGISTRY as ATTENDANCE_EVENTS
from chibo_kernel.consumer import ConsumerSpec, EventConsumer
from chibo_kernel.events import EventRegistry
from chibo_kernel.logging import get_logger
from chibo_kernel.subjects import service_subjects

from ..adapters.facts_projection import STATEMENTS, FactsProjection
from ..adapters.facts_schema import (
    complete_facts_schema,
    create_facts_schema,
    drop_facts_schema,
    schema_of,
)
from ..adapters.metrics import RatingMetrics
from ..domain.rule_book import RuleBook
from .deriver import Deriver, backlog
from .generation_switch import Generation, activate_when_caught_up, halt, pending, retire

log = get_logger("rating.read_models")

# Each source stream is read whole, through one filter: nats-server slows down on a
# consumer with several filter subjects as a province's subjects multiply (one per event
# type and unit), and the version gate needs whole aggregates anyway. Only the event types
# the facts are made of are decoded; the others just move their aggregate's version on.
SOURCES: list[tuple[str, str, EventRegistry]] = [
    (
        "assignment",
        "CHIBO_ASSIGNMENT",
        EventRegistry(m for m in ASSIGNMENT_EVENTS if m in STATEMENTS),
    ),
    (
        "attendance",
        "CHIBO_ATTENDANCE",
        EventRegistry(m for m in ATTENDANCE_EVENTS if m in STATEMENTS),
    ),
]
CATCHING_UP_ABOVE = 1000  # messages pending: the derivation waits until they are applied


class ReadModels:
    def __init__(self, runtime: ServiceRuntime, rules: RuleBook) -> None:
        self._runtime = runtime
        self._rules = rules
        self._metrics = RatingMetrics(runtime.metrics.registry)
        self._instance = ""
        self._active: Generation | None = None
        self._building: Generation | None = None
        self._switcher: asyncio.Task[None] | None = None

    @property
    def active_schema(self) -> str:
        assert self._active is not None, "read models not started"
        return self._active.schema

    @property
    def consumers(self) -> list[EventConsumer]:
        found = list(self._active.consumers) if self._active else []
        return found + (list(self._building.consumers) if self._building else [])

    async def start(self) -> None:
        """Resume the active generation (creating the first), and a rebuild in progress."""
        rows = await self._runtime.pool.fetch(
            "SELECT generation, instance, state FROM read_model_generations "
            "WHERE state IN ('active', 'building') ORDER BY generation"
        )
        if not rows:
            self._instance = uuid.uuid4().hex[:8]
            await self._create(1, "active")
            rows = [{"generation": 1, "instance": self._instance, "state": "active"}]
        self._instance = rows[0]["instance"]
        for row in rows:
            async with self._runtime.pool.acquire() as conn:
                added = await complete_facts_schema(conn, schema_of(row["generation"]))
            if added:
                # The history of these facts is only in the streams: rebuild to fill them.
                log.warning("read models lack facts: rebuild", tables=added)
            generation = await self._run(row["generation"])
            if row["state"] == "active":
                self._active = generation
            else:
                self._building = generation
                self._switcher = asyncio.create_task(self._switch_when_caught_up())
        log.info("read models serving", schema=self.active_schema, rebuilding=bool(self._building))

    async def stop(self) -> None:
        if self._switcher is not None:
            self._switcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._switcher
        for generation in (self._building, self._active):
            if generation is not None:
                await halt(self._runtime, generation)

    async def rebuild(self) -> int:
        """Start filling the next generation from the start of the streams; queries keep
        reading the active one until the new one has caught up."""
        if self._building is not None:
            return self._building.number
        number = int(
            await self._runtime.pool.fetchval(
                "SELECT coalesce(max(generation), 0) + 1 FROM read_model_generations"
            )
        )
        await self._create(number, "building")
        self._building = await self._run(number)
        self._switcher = asyncio.create_task(self._switch_when_caught_up())
        log.info("read-model rebuild started", generation=number)
        return number

    async def status(self) -> dict[str, Any]:
        rows = await self._runtime.pool.fetch(
            "SELECT generation, state, started_at, switched_at FROM read_model_generations "
            "ORDER BY generation"
        )
        lags = {c.spec.name: await pending(self._runtime, c) for c in self.consumers}
        # Units whose prepared ratings wait to be derived again: pending work like the rest.
        for generation in self._generations():
            name = f"rating-{self._instance}-g{generation.number}-derivation"
            lags[name] = await backlog(self._runtime.pool, generation.schema)
        return {
            "active": self._active.number if self._active else None,
            "building": self._building.number if self._building else None,
            "generations": [dict(r) for r in rows],
            "pending": lags,
            # While catching up, batches note only their years: see `adapters/staleness.py`.
            "catching_up": [
                g.number
                for g in (self._active, self._building)
                if g is not None and g.catching_up()
            ],
            # Parked events are missing from the read model until an operator replays them.
            "parked": {c.spec.name: len(await c.parked()) for c in self.consumers},
        }

    def _generations(self) -> list[Generation]:
        return [g for g in (self._active, self._building) if g is not None]

    async def wait_for_switch(self) -> None:
        if self._switcher is not None:
            await asyncio.shield(self._switcher)

    def _names(self, number: int) -> list[str]:
        return [f"rating-{self._instance}-g{number}-{source}" for source, *_ in SOURCES]

    async def _create(self, number: int, state: str) -> None:
        async with self._runtime.pool.acquire() as conn:
            await drop_facts_schema(conn, schema_of(number))  # a half-built leftover
            await create_facts_schema(conn, schema_of(number))
            async with conn.transaction():
                # Waits for the commands marking stale ratings in the generations they saw
                # (`mark_inputs` reads this table FOR SHARE); later ones see this one.
                await conn.execute("LOCK TABLE read_model_generations IN EXCLUSIVE MODE")
                await conn.execute(
                    "INSERT INTO read_model_generations (generation, instance, state) "
                    "VALUES ($1, $2, $3)",
                    number,
                    self._instance,
                    state,
                )

    async def _run(self, number: int) -> Generation:
        generation = Generation(number)
        deriver = Deriver(
            self._runtime.pool,
            generation.schema,
            self._rules,
            self._metrics,
            behind=lambda: self._catching_up(generation),
        )
        projection = FactsProjection(
            generation.schema,
            self._rules.first_year,
            on_marked=deriver.wake.set,
            catching_up=lambda: deriver.catching_up,
        )
        generation.catching_up = lambda: deriver.catching_up
        for name, (source, stream, registry) in zip(self._names(number), SOURCES, strict=True):
            consumer = EventConsumer(
                ConsumerSpec(
                    name=name,
                    stream=stream,
                    filter_subjects=[service_subjects(source)],
                    batch_size=self._runtime.settings.consumer_batch_size,
                ),
                pool=self._runtime.pool,
                broker=self._runtime.broker,
                registry=registry,
                projection=projection,
                metrics=self._runtime.metrics,
            )
            generation.consumers.append(consumer)
            generation.tasks.append(
                asyncio.create_task(consumer.run(generation.stop), name=f"consumer {name}")
            )
        generation.tasks.append(
            asyncio.create_task(deriver.run(generation.stop), name=f"deriver g{number}")
        )
        return generation

    async def _catching_up(self, generation: Generation) -> bool:
        waiting = [await pending(self._runtime, c) for c in generation.consumers]
        return sum(p or 0 for p in waiting) > CATCHING_UP_ABOVE

    async def _switch_when_caught_up(self) -> None:
        building = self._building
        assert building is not None
        await activate_when_caught_up(self._runtime, building)
        old = self._active
        self._active, self._building = building, None
        log.info("read models switched", schema=building.schema)
        if old is not None:
            await retire(self._runtime, old)
