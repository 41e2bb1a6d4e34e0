"""The generations of a consumed read model, as rows of `consumed_read_models`: which one
serves, which one is built, which are switched out, and each one's consumer base.

Each generation has durable consumers of its own and so its own bookkeeping: a new
generation reads the streams from their first event while the active one keeps serving.
The running instances fill it and switch it in (`generations.py`); asking for one only
writes a row, so the command-line tool and any instance can.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from ..pool import LeanPool
from .model import ACTIVE, BUILDING, STATE_SQL, ConsumedReadModel

_LIVE = (
    "SELECT generation, state, consumer FROM consumed_read_models "
    "WHERE name = $1 AND state IN ('active', 'building') ORDER BY generation"
)


@dataclass(frozen=True)
class Generation:
    number: int
    state: str
    base: str  # its consumers' names start with it

    @property
    def building(self) -> bool:
        return self.state == BUILDING


def _generation(model: ConsumedReadModel, row: asyncpg.Record) -> Generation:
    number, base = int(row["generation"]), row["consumer"]
    # Rows written before consumer bases were recorded used the deterministic names.
    return Generation(number, str(row["state"]), str(base or model.consumer_base(number)))


async def state_of(
    db: asyncpg.Connection | LeanPool, model: ConsumedReadModel, generation: int
) -> str | None:
    state = await db.fetchval(STATE_SQL, model.name, generation)
    return None if state is None else str(state)


async def adopt(pool: LeanPool, model: ConsumedReadModel) -> None:
    """A database first serving this read model starts with generation 1, active."""
    async with pool.acquire() as conn, conn.transaction():
        made = await conn.fetchval(
            "INSERT INTO consumed_read_models (name, generation, state, consumer) "
            "VALUES ($1, 1, 'active', $2) ON CONFLICT DO NOTHING RETURNING generation",
            model.name,
            model.consumer_base(1),
        )
        if made is not None:
            async with _search_path_kept(conn):
                await model.create_first(conn)


async def live_generations(
    db: asyncpg.Connection | LeanPool, model: ConsumedReadModel
) -> list[Generation]:
    return [_generation(model, r) for r in await db.fetch(_LIVE, model.name)]


async def generation_of(pool: LeanPool, model: ConsumedReadModel, number: int) -> Generation:
    row = await pool.fetchrow(
        "SELECT generation, state, consumer FROM consumed_read_models "
        "WHERE name = $1 AND generation = $2",
        model.name,
        number,
    )
    assert row is not None, f"{model.name} has no generation {number}"
    return _generation(model, row)


async def retired_generations(
    pool: LeanPool, model: ConsumedReadModel, after_seconds: float
) -> list[Generation]:
    """Switched out long enough ago that every instance has stopped reading them."""
    rows = await pool.fetch(
        "SELECT generation, state, consumer FROM consumed_read_models WHERE name = $1 "
        "AND state = 'retired' AND switched_at < now() - make_interval(secs => $2)",
        model.name,
        after_seconds,
    )
    return [_generation(model, r) for r in rows]


async def request_rebuild(pool: LeanPool, model: ConsumedReadModel) -> int:
    """The generation being built: a new one, or the one already under way. Only rows and
    tables are written; the running instances start its consumers within seconds."""
    await adopt(pool, model)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"rebuild {model.name}")
        building = [g for g in await live_generations(conn, model) if g.building]
        if building:
            return building[0].number
        number = 1 + int(
            await conn.fetchval(
                "SELECT max(generation) FROM consumed_read_models WHERE name = $1", model.name
            )
        )
        async with _search_path_kept(conn):
            await model.prepare(conn, number)
        # Waits for the transactions that read the live generations FOR SHARE (a batch's
        # fence, a command marking its effects in every generation); those after it see
        # the new one.
        await conn.execute("LOCK TABLE consumed_read_models IN EXCLUSIVE MODE")
        await conn.execute(
            "INSERT INTO consumed_read_models (name, generation, state, consumer) "
            "VALUES ($1, $2, $3, $4)",
            model.name,
            number,
            BUILDING,
            model.consumer_base(number),
        )
        return number


@asynccontextmanager
async def _search_path_kept(conn: asyncpg.Connection) -> AsyncIterator[None]:
    """A model's hook may set its own search path for the rest of the transaction."""
    search_path = await conn.fetchval("SHOW search_path")
    yield
    await conn.execute("SELECT set_config('search_path', $1, true)", search_path)


__all__ = ["ACTIVE", "BUILDING", "Generation", "adopt", "live_generations", "request_rebuild"]
