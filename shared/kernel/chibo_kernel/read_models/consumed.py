"""Read models projected from another service's stream, rebuilt while the old ones serve.

Each generation has a durable consumer of its own (generation 1 keeps the consumer's name,
later ones add `-g<n>`) and so its own bookkeeping: a new generation reads the stream from
its first event while the active one keeps serving. Its tables live in a work schema
`rebuild_<name>`, which its batches put first on their search path. Once nothing is pending
for it, one transaction moves the old tables out and the new ones into `public`
(`generations.py`).

The state of every generation is a row of `consumed_read_models`. Each batch first reads
its generation's row FOR SHARE (the fence): the switch, which updates the rows, waits for
the batches in flight, and a batch of a retired generation never writes after it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import asyncpg

from ..consumer import ConsumerRetired, ConsumerSpec, Fence, Projection
from ..events import EventRegistry
from ..pool import LeanPool
from .schemas import prepare_work_schema

# A generation is building, then active, then retired (switched out), then dropped (its
# durable consumer and bookkeeping deleted).
ACTIVE, BUILDING = "active", "building"

_STATE = "SELECT state FROM consumed_read_models WHERE name = $1 AND generation = $2"
_LIVE = (
    "SELECT generation, state FROM consumed_read_models "
    "WHERE name = $1 AND state IN ('active', 'building') ORDER BY generation"
)


@dataclass(frozen=True)
class ConsumedReadModel:
    name: str
    tables: tuple[str, ...]
    consumer: ConsumerSpec  # generation 1's durable consumer
    projection: Projection
    registry: EventRegistry

    @property
    def work_schema(self) -> str:
        return "rebuild_" + self.name.replace("-", "_")

    @property
    def retired_schema(self) -> str:
        return "retired_" + self.name.replace("-", "_")

    def spec_of(self, generation: int) -> ConsumerSpec:
        if generation == 1:
            return self.consumer
        return dataclasses.replace(self.consumer, name=f"{self.consumer.name}-g{generation}")

    async def live(self, conn: asyncpg.Connection, generation: int) -> bool:
        return await state_of(conn, self, generation) in (ACTIVE, BUILDING)

    def fence(self, generation: int) -> Fence:
        async def fence(conn: asyncpg.Connection) -> None:
            state = await conn.fetchval(f"{_STATE} FOR SHARE", self.name, generation)
            if state == BUILDING:
                await conn.execute(f"SET LOCAL search_path TO {self.work_schema}, public")
            elif state != ACTIVE:
                raise ConsumerRetired(f"{self.name} generation {generation} is {state}")

        return fence


async def state_of(
    db: asyncpg.Connection | LeanPool, model: ConsumedReadModel, generation: int
) -> str | None:
    state = await db.fetchval(_STATE, model.name, generation)
    return None if state is None else str(state)


async def adopt(pool: LeanPool, model: ConsumedReadModel) -> None:
    """A read model never rebuilt is served by generation 1, its consumer's first name."""
    await pool.execute(
        "INSERT INTO consumed_read_models (name, generation, state) VALUES ($1, 1, 'active') "
        "ON CONFLICT DO NOTHING",
        model.name,
    )


async def live_generations(pool: LeanPool, model: ConsumedReadModel) -> dict[int, str]:
    return {r["generation"]: r["state"] for r in await pool.fetch(_LIVE, model.name)}


async def retired_generations(pool: LeanPool, model: ConsumedReadModel) -> list[int]:
    """Switched out, but their durable consumer and bookkeeping not yet deleted."""
    rows = await pool.fetch(
        "SELECT generation FROM consumed_read_models WHERE name = $1 AND state = 'retired'",
        model.name,
    )
    return [r["generation"] for r in rows]


async def request_rebuild(pool: LeanPool, model: ConsumedReadModel) -> int:
    """The generation being built: a new one, or the one already under way. Only rows and a
    schema are written; the running instances start its consumer within seconds."""
    await adopt(pool, model)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", model.work_schema)
        live = {r["generation"]: r["state"] for r in await conn.fetch(_LIVE, model.name)}
        building = [int(g) for g, state in live.items() if state == BUILDING]
        if building:
            return building[0]
        number = 1 + int(
            await conn.fetchval(
                "SELECT max(generation) FROM consumed_read_models WHERE name = $1", model.name
            )
        )
        await prepare_work_schema(conn, model.tables, model.work_schema)
        await conn.execute(
            "INSERT INTO consumed_read_models (name, generation, state) VALUES ($1, $2, $3)",
            model.name,
            number,
            BUILDING,
        )
        return number
