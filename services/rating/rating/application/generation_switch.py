"""A running generation of the read models, and the switch to a rebuilt one: waiting until
its consumers and derivation have caught up, making it the one queries read, then stopping
the generation it replaces and dropping its consumers, checkpoints and schema. Apart from
`ReadModels`, which starts and stops generations and answers which one serves."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from chibo_chassis.runtime import ServiceRuntime, finish
from chibo_kernel.consumer import EventConsumer, durable
from chibo_kernel.logging import get_logger

from ..adapters.facts_schema import drop_facts_schema, schema_of
from .deriver import backlog

log = get_logger("rating.read_models")

CAUGHT_UP_POLL_SECONDS = 0.2


@dataclass
class Generation:
    number: int
    consumers: list[EventConsumer] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    catching_up: Callable[[], bool] = lambda: False  # the deriver's last look

    @property
    def schema(self) -> str:
        return schema_of(self.number)


async def pending(runtime: ServiceRuntime, consumer: EventConsumer) -> int | None:
    return await durable.pending(runtime.nc.jetstream(), consumer.spec)


async def halt(runtime: ServiceRuntime, generation: Generation) -> None:
    generation.stop.set()
    await finish(generation.tasks, runtime.grace_seconds)


async def activate_when_caught_up(runtime: ServiceRuntime, building: Generation) -> None:
    """Once nothing is pending for the building generation, it becomes the active one in the
    database; the generation it replaces is retired in the same transaction."""
    while True:
        waiting = [await pending(runtime, c) for c in building.consumers]
        waiting.append(await backlog(runtime.pool, building.schema))
        if all(p == 0 for p in waiting):
            break
        await asyncio.sleep(CAUGHT_UP_POLL_SECONDS)  # polling the server's counters
    async with runtime.pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "UPDATE read_model_generations SET state = 'retired' WHERE state = 'active'"
        )
        await conn.execute(
            "UPDATE read_model_generations SET state = 'active', switched_at = now() "
            "WHERE generation = $1",
            building.number,
        )


async def retire(runtime: ServiceRuntime, old: Generation) -> None:
    await halt(runtime, old)
    async with runtime.pool.acquire() as conn, conn.transaction():
        await durable.forget(runtime.nc.jetstream(), conn, [c.spec for c in old.consumers])
        await drop_facts_schema(conn, old.schema)
    log.info("old read models dropped", schema=old.schema)
