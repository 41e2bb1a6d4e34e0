"""The switch from a consumed read model's active generation to the rebuilt one, in one
transaction that waits for the batches in flight."""

from __future__ import annotations

from ..logging import get_logger
from ..pool import LeanPool
from .model import ACTIVE, BUILDING, ConsumedReadModel

log = get_logger("chibo.read_models")

SWITCH_LOCK_TIMEOUT = "10s"


async def switch(pool: LeanPool, model: ConsumedReadModel, generation: int) -> bool:
    """Make the building `generation` the active one and retire the one it replaces;
    False when another instance is switching or has switched it already."""
    async with pool.acquire() as conn, conn.transaction():
        if not await conn.fetchval("SELECT pg_try_advisory_xact_lock(hashtext($1))", model.name):
            return False
        await conn.execute(f"SET LOCAL lock_timeout = '{SWITCH_LOCK_TIMEOUT}'")
        # FOR UPDATE waits for every batch in flight (each holds its row FOR SHARE).
        rows = await conn.fetch(
            "SELECT generation, state FROM consumed_read_models WHERE name = $1 "
            "AND state IN ('active', 'building') FOR UPDATE",
            model.name,
        )
        if (generation, BUILDING) not in {(r["generation"], r["state"]) for r in rows}:
            return False
        old = [r["generation"] for r in rows if r["state"] == ACTIVE]
        await conn.execute(
            "UPDATE consumed_read_models SET state = 'retired', switched_at = now() "
            "WHERE name = $1 AND generation = ANY($2::int[])",
            model.name,
            old,
        )
        await conn.execute(
            "UPDATE consumed_read_models SET state = 'active', switched_at = now() "
            "WHERE name = $1 AND generation = $2",
            model.name,
            generation,
        )
        await model.switch_in(conn, generation)
    log.info("read model switched", read_model=model.name, generation=generation, retired=old)
    return True
