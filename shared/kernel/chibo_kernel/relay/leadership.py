"""Electing the one relay of a service that publishes: a session advisory lock in Postgres.

The lock lives as long as the relay's connection, so a relay that dies or loses its database
hands leadership over without any lease to expire; two publishers at once would interleave
their batches and break the stream's chain of expected last ids.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg

_LEADER_LOCK = "SELECT pg_try_advisory_lock(hashtextextended('chibo-relay:' || $1, 0))"


async def wait_for_leadership(conn: asyncpg.Connection, name: str, stop: asyncio.Event) -> bool:
    """Take the stream's lock on this connection, trying once a second; False if asked to
    stop first."""
    while not await conn.fetchval(_LEADER_LOCK, name):
        await sleep_unless(stop, 1.0)
        if stop.is_set():
            return False
    return True


async def sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
