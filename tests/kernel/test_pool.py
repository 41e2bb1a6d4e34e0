"""The lean pool against a real PostgreSQL: reuse, limits, and what it must never reuse."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from chibo_kernel.db import create_pool
from chibo_kernel.pool import PoolClosed

from .support import eventually


async def backend_pids(url: str) -> set[int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return {r["pid"] for r in rows}
    finally:
        await conn.close()


async def test_connections_are_reused_and_never_exceed_the_size(kernel_db: str) -> None:
    # The fixture's own connections may still be exiting; only backends born after count.
    before = await backend_pids(kernel_db)
    pool = await create_pool(kernel_db, min_size=0, max_size=2)
    try:
        results = await asyncio.gather(
            *(pool.fetchval("SELECT pg_backend_pid() FROM pg_sleep(0.01)") for _ in range(20))
        )
        assert len(set(results)) <= 2
        assert len(await backend_pids(kernel_db) - before) <= 2
    finally:
        await pool.close()


async def test_waiters_are_served_when_a_connection_comes_back(kernel_db: str) -> None:
    pool = await create_pool(kernel_db, min_size=1, max_size=1)
    try:
        async with pool.acquire() as held:
            waiting = asyncio.ensure_future(pool.fetchval("SELECT 42"))
            await asyncio.sleep(0)  # let it queue; the assertion below does not rely on timing
            assert not waiting.done()
            await held.execute("SELECT 1")
        assert await asyncio.wait_for(waiting, 5) == 42
    finally:
        await pool.close()


async def test_a_terminated_backend_is_replaced(kernel_db: str) -> None:
    pool = await create_pool(kernel_db, min_size=1, max_size=1)
    admin = await asyncpg.connect(kernel_db)
    try:
        first = await pool.fetchval("SELECT pg_backend_pid()")
        await admin.execute("SELECT pg_terminate_backend($1)", first)

        async def gone() -> bool:
            return first not in await backend_pids(kernel_db)

        await eventually(gone, timeout=10, what="the backend to exit")
        # The dead connection is noticed when it is taken, and a new one serves the call.
        second = await pool.fetchval("SELECT pg_backend_pid()")
        assert second != first
    finally:
        await admin.close()
        await pool.close()


async def test_a_transaction_left_open_is_rolled_back_before_reuse(kernel_db: str) -> None:
    pool = await create_pool(kernel_db, min_size=1, max_size=1)
    try:
        await pool.execute("CREATE TABLE IF NOT EXISTS leak (n int)")
        async with pool.acquire() as conn:
            await conn.execute("BEGIN")
            await conn.execute("INSERT INTO leak VALUES (1)")
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT count(*) FROM leak") == 0
    finally:
        await pool.close()


async def test_a_connection_cancelled_mid_query_is_not_reused(kernel_db: str) -> None:
    pool = await create_pool(kernel_db, min_size=1, max_size=1)
    try:
        first = await pool.fetchval("SELECT pg_backend_pid()")
        slow = asyncio.ensure_future(pool.execute("SELECT pg_sleep(5)"))

        async def running() -> bool:
            admin = await asyncpg.connect(kernel_db)
            try:
                state = await admin.fetchval(
                    "SELECT state FROM pg_stat_activity WHERE pid = $1", first
                )
            finally:
                await admin.close()
            return bool(state == "active")

        await eventually(running, timeout=10, what="the slow query to start")
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        assert await pool.fetchval("SELECT pg_backend_pid()") != first
    finally:
        await pool.close()


async def test_a_closed_pool_refuses_work(kernel_db: str) -> None:
    pool = await create_pool(kernel_db, min_size=1, max_size=1)
    await pool.close()
    with pytest.raises(PoolClosed):
        await pool.fetchval("SELECT 1")
