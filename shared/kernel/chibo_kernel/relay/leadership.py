"""Electing the one relay of a service that publishes: a session advisory lock in Postgres.

The lock lives as long as the relay's connection, so a relay that dies or loses its database
hands leadership over without any lease to expire; two publishers at once would interleave
their batches and break the stream's chain of expected last ids.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg

from ..metrics import KernelMetrics

_LEADER_LOCK = "SELECT pg_try_advisory_lock(hashtextextended('chibo-relay:' || $1, 0))"


async def wait_for_leadership(
    conn: asyncpg.Connection, name: str, stop: asyncio.Event, metrics: KernelMetrics | None = None
) -> bool:
    """Take the stream's lock on this connection, trying once a second; False if asked to
    stop first. While another instance leads, it measures the lag: this one's figures from
    an earlier lead would be stale (and keep an alert firing), so they are zeroed."""
    while not await conn.fetchval(_LEADER_LOCK, name):
        if metrics is not None:
            following(metrics)
        await sleep_unless(stop, 1.0)
        if stop.is_set():
            return False
    return True


def following(metrics: KernelMetrics) -> None:
    for gauge in (
        metrics.relay_lag_events,
        metrics.relay_lag_seconds,
        metrics.relay_quarantine_open,
    ):
        gauge.set(0)


async def sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
