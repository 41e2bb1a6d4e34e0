"""What a read model consumed from other services' streams declares, so one lifecycle
(`consumed.py`, `generations.py`) can fill, switch in and retire its generations.

A generation reads one or more streams (its sources), each through a durable consumer of
its own, named from the generation's consumer base: `<base>` with one source,
`<base>-<source>` with several. Where a generation's tables live is the model's to say:
`swapped.py` builds them in a work schema and swaps them into `public` (queries name them
without a schema); a model may instead keep a schema per generation and have its queries
name the active one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Protocol

import asyncpg

from ..consumer import ConsumerRetired, ConsumerSpec, Fence, Projection
from ..events import EventRegistry

# A generation is building, then active, then retired (switched out, still readable for a
# while), then dropped (its consumers, bookkeeping and tables deleted).
ACTIVE, BUILDING = "active", "building"

STATE_SQL = "SELECT state FROM consumed_read_models WHERE name = $1 AND generation = $2"

# What a generation's consumers still have to apply: None while it cannot be known.
Pending = Callable[[], Awaitable["int | None"]]


@dataclass(frozen=True)
class Source:
    """One stream a read model reads: its consumer's settings (the spec's name is the
    source's label) and the event types it decodes."""

    spec: ConsumerSpec
    registry: EventRegistry


class Companion(Protocol):
    """Work a generation does beside its consumers (rating derives prepared rows from the
    facts). It runs where the generation's consumers run; the generation switches in only
    once its backlog is empty too."""

    async def run(self, stop: asyncio.Event) -> None: ...

    async def backlog(self) -> int: ...


@dataclass(frozen=True)
class GenerationParts:
    projection: Projection
    companion: Companion | None = None


class ConsumedReadModel:
    """The hooks a model fills in; those that raise must be."""

    name: str
    sources: tuple[Source, ...]

    def consumer_base(self, generation: int) -> str:
        """The base of a new generation's consumer names, recorded with the generation.
        Deterministic by default; a model whose consumers must never meet another
        database's (a fresh database beside an old stream) makes it unique."""
        base = self.sources[0].spec.name if len(self.sources) == 1 else self.name
        return base if generation == 1 else f"{base}-g{generation}"

    def consumers(self, base: str) -> list[tuple[ConsumerSpec, EventRegistry]]:
        """Each source's consumer in the generation named by `base`, with what it decodes."""
        if len(self.sources) == 1:
            (only,) = self.sources
            return [(replace(only.spec, name=base), only.registry)]
        return [(replace(s.spec, name=f"{base}-{s.spec.name}"), s.registry) for s in self.sources]

    def parts(self, generation: int, pending: Pending) -> GenerationParts:
        """The projection a generation's consumers apply, and its companion if any."""
        raise NotImplementedError

    async def create_first(self, conn: asyncpg.Connection) -> None:
        """Generation 1's tables, when a database first serves this read model."""

    async def prepare(self, conn: asyncpg.Connection, generation: int) -> None:
        """A new generation's empty tables, before its row is written."""
        raise NotImplementedError

    async def resume(self, conn: asyncpg.Connection, generation: int) -> None:
        """Before an instance runs a generation made by an older release."""

    def search_path(self, generation: int, state: str) -> str:
        """Where a batch of the generation writes, in a state it may write in."""
        raise NotImplementedError

    async def switch_in(self, conn: asyncpg.Connection, generation: int) -> None:
        """Inside the switch's transaction, after the states are updated."""

    async def drop(self, conn: asyncpg.Connection, generation: int) -> None:
        """A retired generation's tables, once no instance reads them."""

    def fence(self, generation: int) -> Fence:
        """Each batch first reads its generation's row FOR SHARE: the switch, which updates
        the rows, waits for the batches in flight, and a batch of a retired generation never
        writes after it."""

        async def fence(conn: asyncpg.Connection) -> None:
            state = await conn.fetchval(f"{STATE_SQL} FOR SHARE", self.name, generation)
            if state not in (ACTIVE, BUILDING):
                raise ConsumerRetired(f"{self.name} generation {generation} is {state}")
            await conn.execute(f"SET LOCAL search_path TO {self.search_path(generation, state)}")

        return fence
