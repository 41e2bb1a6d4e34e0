"""Every call of the serving pool has a deadline; operator jobs' pools keep none."""

from __future__ import annotations

import time

import asyncpg
import pytest

from chibo_kernel.db import create_pool
from chibo_kernel.outages import DATABASE, outage_of
from chibo_kernel.pool import DatabaseUnavailable


async def test_a_statement_past_the_statement_timeout_is_cancelled_as_an_outage(
    kernel_db: str,
) -> None:
    pool = await create_pool(kernel_db, max_size=1, statement_timeout=0.3)
    try:
        started = time.monotonic()
        with pytest.raises(asyncpg.QueryCanceledError) as raised:
            await pool.fetchval("SELECT pg_sleep(5)")
        assert time.monotonic() - started < 2
        outage = outage_of(raised.value)
        assert outage is not None
        assert outage.dependency == DATABASE
        # PostgreSQL cancelled it: the connection is fine for the next statement.
        assert await pool.fetchval("SELECT 1") == 1
    finally:
        await pool.close()


async def test_a_pool_without_a_statement_timeout_lets_a_long_job_finish(kernel_db: str) -> None:
    pool = await create_pool(kernel_db, max_size=1)
    try:
        assert await pool.fetchval("SELECT pg_sleep(1.2)::text || 'done'") == "done"
        assert await pool.fetchval("SHOW statement_timeout") == "0"
    finally:
        await pool.close()


async def test_waiting_for_a_busy_pool_ends_at_the_acquire_deadline(kernel_db: str) -> None:
    pool = await create_pool(kernel_db, max_size=1, acquire_timeout=0.3)
    try:
        async with pool.acquire():
            started = time.monotonic()
            with pytest.raises(DatabaseUnavailable) as raised:
                await pool.fetchval("SELECT 1")
            assert time.monotonic() - started < 1.5
        assert outage_of(raised.value) is not None
        assert await pool.fetchval("SELECT 1") == 1  # the pool still serves afterwards
    finally:
        await pool.close()


async def test_a_refused_connection_is_an_outage_of_the_database() -> None:
    # A port nothing listens on (the pool opens no connection until asked).
    pool = await create_pool(
        "postgresql://nobody@127.0.0.1:9/none", min_size=0, connect_timeout=1, acquire_timeout=2
    )
    with pytest.raises(DatabaseUnavailable) as raised:
        await pool.fetchval("SELECT 1")
    outage = outage_of(raised.value)
    assert outage is not None
    assert outage.dependency == DATABASE
    assert "ConnectionRefusedError" in outage.reason
