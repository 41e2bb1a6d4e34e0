"""Kernel fixtures: a migrated database of the test's own, and NATS connections."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS

from chibo_kernel.db import create_pool
from chibo_kernel.migrations import upgrade_async
from chibo_kernel.nats_client import nats_broker
from chibo_kernel.pool import LeanPool


@pytest.fixture
async def kernel_db(fresh_database: str) -> str:
    await upgrade_async(fresh_database)
    return fresh_database


@pytest.fixture
async def pool(kernel_db: str) -> AsyncIterator[LeanPool]:
    pool = await create_pool(kernel_db, min_size=2, max_size=10)
    yield pool
    await pool.close()


@pytest.fixture
async def broker(nats_url: str) -> AsyncIterator[NatsBroker]:
    """The FastStream broker that owns the connection `nc` the consumers run on."""
    broker = nats_broker(nats_url, name="kernel-tests")
    await broker.connect()
    yield broker
    await broker.stop()


@pytest.fixture
async def nc(broker: NatsBroker) -> NATS:
    return await broker.connect()
