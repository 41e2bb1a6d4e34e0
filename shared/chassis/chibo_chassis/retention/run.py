"""One application of the retention policy to a service's database.

Several instances (replicas, an operator's command) may try at once: a session advisory
lock lets one apply while the others step aside, so nothing is counted or erased twice. A
completed run is recorded in `retention_runs` (kernel migration k0009) with its counts;
that record is the "last success" every instance reports.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from chibo_kernel.clock import VIETNAM
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool

from .category import Category
from .policy import RetentionPolicy

_LOCK = "SELECT pg_try_advisory_lock(hashtextextended('chibo-retention:' || $1, 0))"
_UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('chibo-retention:' || $1, 0))"
_RECORD = "INSERT INTO retention_runs (service, started_at, removed) VALUES ($1, $2, $3::jsonb)"
# The database's own creation stands in until a first run succeeds, so a retention that
# never succeeds is noticed as late as one that stopped.
_LAST_SUCCESS = (
    "SELECT coalesce((SELECT max(finished_at) FROM retention_runs WHERE service = $1),"
    " (SELECT created_at FROM event_store_identity))"
)

Progress = Callable[[int, int], None]  # (done, due), redrawn after each batch


@dataclass(frozen=True)
class RetentionReport:
    """Per category: what was past its period when the run began (`due`) and what it
    removed (`counts`; none in a dry run). `skipped`: another instance was applying the
    policy, so this one did nothing."""

    due: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    skipped: bool = False
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def today_in_vietnam() -> date:
    return datetime.now(VIETNAM).date()


async def apply_retention(
    pool: LeanPool,
    service: str,
    categories: Sequence[Category],
    policy: RetentionPolicy,
    *,
    dry_run: bool = False,
    today: date | None = None,
    metrics: KernelMetrics | None = None,
    progress: Progress | None = None,
) -> RetentionReport:
    """Apply `policy` to every category, unless another instance is applying it now."""
    began, started_at = time.monotonic(), datetime.now(VIETNAM)
    day = today or today_in_vietnam()
    async with pool.acquire() as conn:
        if not await conn.fetchval(_LOCK, service):
            return RetentionReport(dry_run=dry_run, skipped=True)
        try:
            due = {c.name: await c.due(conn, policy, day) for c in categories}
            if dry_run:
                return RetentionReport(due, {}, True, False, time.monotonic() - began)
            done, total = 0, sum(due.values())
            counts: dict[str, int] = {}
            for category in categories:

                def removed(count: int, name: str = category.name) -> None:
                    nonlocal done
                    done += count
                    if metrics is not None:
                        metrics.retention_removed.labels(name).inc(count)
                    if progress is not None:
                        progress(done, max(total, done))

                counts[category.name] = await category.apply(conn, policy, day, removed)
            await conn.execute(_RECORD, service, started_at, json.dumps(counts))
        finally:
            await conn.execute(_UNLOCK, service)
    if metrics is not None:
        await report_last_success(pool, service, metrics)
    return RetentionReport(due, counts, False, False, time.monotonic() - began)


async def last_success(pool: LeanPool, service: str) -> datetime:
    found: datetime = await pool.fetchval(_LAST_SUCCESS, service)
    return found


async def report_last_success(pool: LeanPool, service: str, metrics: KernelMetrics) -> datetime:
    """Read the recorded last success and show it on `/metrics`."""
    found = await last_success(pool, service)
    metrics.retention_last_success.labels(service).set(found.timestamp())
    return found
