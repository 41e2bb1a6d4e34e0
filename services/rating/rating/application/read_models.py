"""The facts consumed from the assignment and attendance streams, as a read model on the
kernel's lifecycle (`chibo_kernel.read_models`): generations filled by durable consumers,
one schema per generation (`rm_<n>`) that queries name, a deriver beside each generation's
consumers, a rebuild asked by any instance or `chibo-rating rebuild` and switched in by
whichever instance finds it caught up.

Consumer names carry a token drawn when the generation is made: a durable consumer's acks
only mean something together with the checkpoints in the database it feeds, so a fresh
database (or a rebuild) never inherits another's position.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import asyncpg

from chibo_chassis.runtime import ServiceRuntime
from chibo_contracts.assignment import REGISTRY as ASSIGNMENT_EVENTS
from chibo_contracts.attendance import REGISTRY as ATTENDANCE_EVENTS
from chibo_kernel.consumer import ConsumerSpec, EventConsumer
from chibo_kernel.consumer.durable import pending
from chibo_kernel.events import EventRegistry
from chibo_kernel.logging import get_logger
from chibo_kernel.pool import LeanPool
from chibo_kernel.read_models import (
    ConsumedGenerations,
    ConsumedReadModel,
    GenerationParts,
    Pending,
    Source,
    request_rebuild,
)
from chibo_kernel.subjects import service_subjects

from ..adapters.facts_projection import STATEMENTS, FactsProjection
from ..adapters.facts_schema import (
    READ_MODEL,
    complete_facts_schema,
    create_facts_schema,
    drop_facts_schema,
    schema_of,
)
from ..adapters.metrics import RatingMetrics
from ..domain.rule_book import RuleBook
from .deriver import Deriver

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


class FactsReadModel(ConsumedReadModel):
    name = READ_MODEL

    def __init__(
        self,
        pool: Callable[[], LeanPool],
        rules: RuleBook,
        metrics: RatingMetrics,
        batch_size: int = 256,
    ) -> None:
        self._pool, self._rules, self._metrics = pool, rules, metrics
        self.sources = tuple(
            Source(
                ConsumerSpec(
                    name=source,
                    stream=stream,
                    filter_subjects=[service_subjects(source)],
                    batch_size=batch_size,
                ),
                registry,
            )
            for source, stream, registry in SOURCES
        )

    def consumer_base(self, generation: int) -> str:
        return f"rating-{uuid.uuid4().hex[:8]}-g{generation}"

    def parts(self, generation: int, pending: Pending) -> GenerationParts:
        async def behind() -> bool:
            return ((await pending()) or 0) > CATCHING_UP_ABOVE

        schema = schema_of(generation)
        deriver = Deriver(self._pool(), schema, self._rules, self._metrics, behind=behind)
        projection = FactsProjection(
            schema,
            self._rules.first_year,
            on_marked=deriver.wake.set,
            catching_up=lambda: deriver.catching_up,
        )
        return GenerationParts(projection, deriver)

    async def create_first(self, conn: asyncpg.Connection) -> None:
        await self.prepare(conn, 1)

    async def prepare(self, conn: asyncpg.Connection, generation: int) -> None:
        await drop_facts_schema(conn, schema_of(generation))  # a half-built leftover
        await create_facts_schema(conn, schema_of(generation))

    async def resume(self, conn: asyncpg.Connection, generation: int) -> None:
        added = await complete_facts_schema(conn, schema_of(generation))
        if added:  # their history is only in the streams
            log.warning("read models lack facts: rebuild", tables=added, generation=generation)

    def search_path(self, generation: int, state: str) -> str:
        return f"{schema_of(generation)}, public"

    async def drop(self, conn: asyncpg.Connection, generation: int) -> None:
        await drop_facts_schema(conn, schema_of(generation))


class ReadModels:
    """What the handlers and queries ask of the facts' generations in this instance."""

    def __init__(self, runtime: ServiceRuntime, model: FactsReadModel) -> None:
        self._runtime, self.model = runtime, model

    @property
    def generations(self) -> ConsumedGenerations:
        (found,) = [g for g in self._runtime.generations if g.model is self.model]
        return found

    @property
    def active_schema(self) -> str:
        active = self.generations.active
        assert active is not None, "read models not started"
        return schema_of(active)

    @property
    def consumers(self) -> list[EventConsumer]:
        return self.generations.consumers

    async def rebuild(self) -> int:
        """Start filling the next generation from the start of the streams; queries keep
        reading the active one until the new one has caught up."""
        number = await request_rebuild(self._runtime.pool, self.model)
        await self.generations.look()  # here at once; the other instances within seconds
        log.info("read-model rebuild requested", generation=number)
        return number

    async def status(self) -> dict[str, Any]:
        generations = self.generations
        rows = await self._runtime.pool.fetch(
            "SELECT generation, state, started_at, switched_at FROM consumed_read_models "
            "WHERE name = $1 ORDER BY generation",
            self.model.name,
        )
        js = self._runtime.nc.jetstream()
        lags = {c.spec.name: await pending(js, c.spec) for c in generations.consumers}
        catching_up = []
        for number, running in sorted(generations.running.items()):
            deriver = running.parts.companion
            assert isinstance(deriver, Deriver)
            # Units whose prepared ratings wait to be derived again: pending work too.
            lags[f"{running.generation.base}-derivation"] = await deriver.backlog()
            if deriver.catching_up:  # batches note only their years (`adapters/staleness.py`)
                catching_up.append(number)
        return {
            "active": generations.active,
            "building": generations.building,
            "generations": [dict(r) for r in rows],
            "pending": lags,
            "catching_up": catching_up,
            # Parked events are missing from the read model until an operator replays them.
            "parked": {c.spec.name: len(await c.parked()) for c in generations.consumers},
        }
