"""The assignment service's own categories for `chibo-assignment privacy retention`: the
household texts, and the former members, erased through the service's own `EraseMember` on
its event store with the province's keyring, as the running service erases them (its relay
publishes the tombstones this command appends)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from chibo_chassis import KernelSettings
from chibo_chassis.keyring_database import open_keyring
from chibo_chassis.retention import Category
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool
from chibo_kernel.store import PostgresEventStore

from ..adapters.places import ReadModelPlaces
from ..adapters.retention import assignment_retention
from ..application.repository import assignment_repository
from ..bootstrap import boundary
from ..domain.commands import EraseMember


@asynccontextmanager
async def own_retention(settings: KernelSettings, pool: LeanPool) -> AsyncIterator[list[Category]]:
    keyring, keys_pool = await open_keyring(settings, pool, settings.master(), serving=False)
    try:
        store = PostgresEventStore(pool, KernelMetrics(), keyring=keyring)
        # No principal: the service itself acts, as its scheduled run does.
        bus = boundary(
            assignment_repository(lambda: store),
            ReadModelPlaces(lambda: pool),
            keys=lambda: keyring,
        )

        async def erase(member_id: str, today: date) -> None:
            await bus.run(EraseMember(member_id=member_id, basis="retention_expired", today=today))

        yield assignment_retention(erase)
    finally:
        if keys_pool is not None:
            await keys_pool.close()
