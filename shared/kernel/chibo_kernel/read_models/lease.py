"""The lease on a consumed read model's generation: the instance holding it runs the
generation's consumers and companion; the others wait.

It is a session advisory lock, held on one connection while the work runs on others, so
the work does not end with the session by itself: a database restarted or failed over ends
the session and frees the lock while the work goes on, and another instance would take the
lease and pull the same durable consumers at once. So the holder asks its session every
second and stops the work when the session is gone; the generation is then run afresh,
waiting for the lease like any other instance.
"""

from __future__ import annotations

import asyncio

import asyncpg

from ..relay.leadership import sleep_unless

# A restarted instance asks for the lease until the server has ended its predecessor's
# session: often a fraction of a second, and a read model waiting on it holds up readiness.
LEASE_RETRY_SECONDS = 0.5
LEASE_CHECK_SECONDS = 1.0
_LEASE = "SELECT pg_try_advisory_lock(hashtextextended('chibo-consumer:' || $1, 0))"
_RELEASE = "SELECT pg_advisory_unlock(hashtextextended('chibo-consumer:' || $1, 0))"


class LeaseLost(Exception):
    """The session holding the lease ended under the work."""


async def take(conn: asyncpg.Connection, base: str, stop: asyncio.Event) -> bool:
    """The generation's lease on `conn`, once it is free; False if asked to stop first."""
    while not await conn.fetchval(_LEASE, base):
        await sleep_unless(stop, LEASE_RETRY_SECONDS)
        if stop.is_set():
            return False
    return True


async def release(conn: asyncpg.Connection, base: str) -> None:
    await conn.execute(_RELEASE, base)


async def keep(conn: asyncpg.Connection, until: asyncio.Event, stop: asyncio.Event) -> None:
    """Until `until`: raises LeaseLost, having set `stop` so that the work ends, once the
    lease's session does not answer."""
    while not until.is_set():
        await sleep_unless(until, LEASE_CHECK_SECONDS)
        if until.is_set():
            return
        try:
            await asyncio.wait_for(conn.fetchval("SELECT 1"), timeout=2 * LEASE_CHECK_SECONDS)
        except Exception as exc:  # ended, reset, or not answering: not ours any more
            stop.set()
            raise LeaseLost(repr(exc)) from exc
