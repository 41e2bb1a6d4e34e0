"""The retention policy applied to a real database: each category every service has removes
exactly what is past its period and nothing younger, a dry run changes nothing, two runs at
once apply it once, and the run is recorded as the last success every instance reports."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import asyncpg

from chibo_chassis.retention import (
    Removed,
    RetentionPolicy,
    apply_retention,
    kernel_categories,
    last_success,
    retain_periodically,
)
from chibo_kernel.db import create_pool
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool

from .support import eventually

SERVICE = "kernel"


async def read_logged(pool: LeanPool, age: str) -> int:
    found: int = await pool.fetchval(
        "INSERT INTO personal_data_reads (read_at, principal, role, org_scope, route, target,"
        " subjects, purpose, correlation_id, result_count)"
        f" VALUES (now() - interval '{age}', 'bi-thu@VL-TT', 'branch_secretary', '{{VL-TT}}',"
        " 'GET /v1/members/{member_id}', '/v1/members/m-1', '{m-1}', 'member_records', 'c', 1)"
        " RETURNING id"
    )
    return found


async def parked(pool: LeanPool, seq: int, replayed: str | None, parked_ago: str = "1 year") -> int:
    replayed_at = f"now() - interval '{replayed}'" if replayed else "NULL"
    found: int = await pool.fetchval(
        "INSERT INTO parked_messages (consumer, stream_seq, subject, headers, body, reason,"
        " error, deliveries, parked_at, replayed_at)"
        f" VALUES ('roster', $1, 'chibo.assignment.x', '{{}}', $2, 'handler', 'boom', 5,"
        f" now() - interval '{parked_ago}', {replayed_at}) RETURNING id",
        seq,
        b'{"full_name": "Nguyen Van A"}',
    )
    return found


async def quarantined(pool: LeanPool, seq: int, purged: str | None) -> int:
    purged_at = f"now() - interval '{purged}'" if purged else "NULL"
    found: int = await pool.fetchval(
        "INSERT INTO relay_quarantine (stream, stream_seq, subject, headers, found_at, purged_at)"
        f" VALUES ('CHIBO_KERNEL', $1, 'chibo.kernel.x', '{{}}', now() - interval '1 year',"
        f" {purged_at}) RETURNING id",
        seq,
    )
    return found


def removed(metrics: KernelMetrics, category: str) -> float | None:
    return metrics.registry.get_sample_value(
        "chibo_retention_removed_total", {"category": category}
    )


async def ids(pool: LeanPool, table: str) -> list[int]:
    return [r["id"] for r in await pool.fetch(f"SELECT id FROM {table} ORDER BY id")]


async def test_each_category_removes_what_is_past_its_period_and_nothing_younger(
    pool: LeanPool,
) -> None:
    recent_read = await read_logged(pool, "23 months")
    await read_logged(pool, "25 months")
    await read_logged(pool, "6 years")
    still_open = await parked(pool, 1, None, parked_ago="3 years")
    await parked(pool, 2, "91 days")
    replayed_lately = await parked(pool, 3, "89 days")
    not_purged = await quarantined(pool, 1, None)
    await quarantined(pool, 2, "100 days")
    purged_lately = await quarantined(pool, 3, "10 days")
    metrics = KernelMetrics()

    report = await apply_retention(
        pool, SERVICE, kernel_categories(), RetentionPolicy(), metrics=metrics
    )

    expected = {"personal_data_reads": 2, "parked_messages": 1, "quarantined_messages": 1}
    assert (report.due, report.counts, report.skipped) == (expected, expected, False)
    assert await ids(pool, "personal_data_reads") == [recent_read]
    assert await ids(pool, "parked_messages") == [still_open, replayed_lately]
    assert await ids(pool, "relay_quarantine") == [not_purged, purged_lately]
    for category, count in expected.items():
        assert removed(metrics, category) == count
    recorded = await pool.fetchrow("SELECT service, removed FROM retention_runs")
    assert recorded["service"] == SERVICE
    assert json.loads(recorded["removed"]) == expected  # counts only, never a value


async def test_a_longer_period_from_the_file_keeps_more(pool: LeanPool) -> None:
    kept = [await read_logged(pool, "25 months"), await read_logged(pool, "35 months")]
    await read_logged(pool, "37 months")
    policy = RetentionPolicy.model_validate(
        {"personal_data_reads": {"keep_years": 3}, "parked_messages": {"keep_days": 200}}
    )
    replayed = await parked(pool, 1, "100 days")
    report = await apply_retention(pool, SERVICE, kernel_categories(), policy)
    assert report.counts["personal_data_reads"] == 1
    assert await ids(pool, "personal_data_reads") == kept
    assert await ids(pool, "parked_messages") == [replayed]


async def test_a_dry_run_counts_and_changes_nothing(pool: LeanPool) -> None:
    reads = [await read_logged(pool, "3 years"), await read_logged(pool, "1 day")]
    messages = [await parked(pool, 1, "1 year")]
    report = await apply_retention(
        pool, SERVICE, kernel_categories(), RetentionPolicy(), dry_run=True
    )
    assert report.dry_run
    assert report.due == {"personal_data_reads": 1, "parked_messages": 1, "quarantined_messages": 0}
    assert report.counts == {}
    assert await ids(pool, "personal_data_reads") == reads
    assert await ids(pool, "parked_messages") == messages
    assert await pool.fetchval("SELECT count(*) FROM retention_runs") == 0


class Held:
    """A category that holds its run open until told, to have two runs meet."""

    name = "held"

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def due(self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date) -> int:
        return 0

    async def apply(
        self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date, removed: Removed
    ) -> int:
        self.entered.set()
        await self.release.wait()
        return 0


async def test_two_runs_at_once_apply_the_policy_once(pool: LeanPool, kernel_db: str) -> None:
    await read_logged(pool, "3 years")
    await parked(pool, 1, "1 year")
    held = Held()
    metrics = KernelMetrics()
    first = asyncio.create_task(
        apply_retention(
            pool, SERVICE, [*kernel_categories(), held], RetentionPolicy(), metrics=metrics
        )
    )
    await asyncio.wait_for(held.entered.wait(), 30)
    # Another instance: its own connections, the same database.
    second_pool = await create_pool(kernel_db, max_size=2)
    try:
        second = await apply_retention(
            second_pool, SERVICE, kernel_categories(), RetentionPolicy(), metrics=metrics
        )
    finally:
        await second_pool.close()
    held.release.set()
    report = await first

    assert second.skipped
    assert second.counts == {}
    assert report.counts == {
        "personal_data_reads": 1,
        "parked_messages": 1,
        "quarantined_messages": 0,
        "held": 0,
    }
    assert removed(metrics, "personal_data_reads") == 1
    assert await pool.fetchval("SELECT count(*) FROM retention_runs") == 1
    # Once the first is over, the next run finds nothing left to do.
    again = await apply_retention(pool, SERVICE, kernel_categories(), RetentionPolicy())
    assert not again.skipped
    assert again.total == 0


async def test_the_last_success_is_the_database_s_creation_until_a_run_is_recorded(
    pool: LeanPool,
) -> None:
    created = await pool.fetchval("SELECT created_at FROM event_store_identity")
    assert await last_success(pool, SERVICE) == created
    await apply_retention(pool, SERVICE, kernel_categories(), RetentionPolicy())
    finished = await pool.fetchval("SELECT finished_at FROM retention_runs")
    assert await last_success(pool, SERVICE) == finished > created
    assert await last_success(pool, "another service") == created


async def test_the_running_service_applies_a_missed_day_at_once_and_shows_its_success(
    pool: LeanPool,
) -> None:
    await pool.execute("UPDATE event_store_identity SET created_at = now() - interval '3 days'")
    await read_logged(pool, "3 years")
    metrics, stop = KernelMetrics(), asyncio.Event()
    loop = asyncio.create_task(
        retain_periodically(
            pool, SERVICE, kernel_categories(), RetentionPolicy(), metrics, stop, 0.05
        )
    )

    async def recorded() -> bool:
        return bool(await pool.fetchval("SELECT count(*) FROM retention_runs"))

    await eventually(recorded, what="the missed day's run")
    stop.set()
    await asyncio.wait_for(loop, 10)
    assert await pool.fetchval("SELECT count(*) FROM personal_data_reads") == 0
    finished = await pool.fetchval("SELECT finished_at FROM retention_runs")
    gauge = metrics.registry.get_sample_value(
        "chibo_retention_last_success_timestamp_seconds", {"service": SERVICE}
    )
    assert gauge == finished.timestamp()
