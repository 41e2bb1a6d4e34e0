"""Kernel fixtures: a migrated database of the test's own, and NATS connections."""

from __future__ import annotations

from collections.abc import AsyncIterator

import nats
import pytest
from nats.aio.client import Client as NATS

from chibo_kernel.db import create_pool
from chibo_kernel.migrations import upgrade_async
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
async def nc(nats_url: str) -> AsyncIterator[NATS]:
    client = await nats.connect(nats_url)
    yield client
    await client.drain()
