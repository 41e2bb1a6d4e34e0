"""Member import jobs through `ImportJobs`, on both job stores: in memory, and in PostgreSQL
as the running service keeps them. Two `ImportJobs` over one store stand for two instances:
one runs the job, the other reads it. The rows are run by a scripted importer, so that each
step of the lifecycle is the test's to release; the real import over HTTP is
`test_import_jobs_two_instances_http.py`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from kernel.support import eventually

from assignment.adapters.import_job_store import PostgresImportJobStore
from assignment.adapters.member_file import MemberFileError
from assignment.adapters.memory_import_jobs import MemoryImportJobStore
from assignment.adapters.retention import assignment_retention
from assignment.application.import_job_store import ImportJobStore, StoredJob
from assignment.application.import_jobs import ImportJobs
from assignment.application.member_import import Progress
from assignment.domain.imports import ImportJob, ImportReport
from assignment.domain.member_rows import RowError
from assignment.migrations import upgrade
from chibo_chassis.auth import Principal, Role, acting_as
from chibo_chassis.retention import RetentionPolicy, apply_retention, today_in_vietnam
from chibo_kernel.db import create_pool

SECRETARY = Principal("lan@vl-tt", Role.BRANCH_SECRETARY, ("LC", "VB", "VL", "VL-TT"))


class CountingStore:
    """A job store that counts the writes it is asked for, then makes them."""

    def __init__(self, store: ImportJobStore) -> None:
        self._store = store
        self.writes = 0

    async def add(self, job: ImportJob) -> None:
        self.writes += 1
        await self._store.add(job)

    async def save(self, job: ImportJob) -> None:
        self.writes += 1
        await self._store.save(job)

    async def get(self, job_id: str) -> StoredJob | None:
        return await self._store.get(job_id)

    async def place_of(self, job_id: str) -> tuple[str, ...] | None:
        return await self._store.place_of(job_id)


@dataclass
class Stores:
    store: ImportJobStore
    silence: Callable[[str, float], Awaitable[None]]  # as if the job wrote nothing for s


@pytest.fixture(params=["memory", "postgres"])
async def stores(request: pytest.FixtureRequest) -> AsyncIterator[Stores]:
    if request.param == "memory":
        now = [0.0]
        memory = MemoryImportJobStore(clock=lambda: now[0])

        async def later(job_id: str, seconds: float) -> None:
            now[0] += seconds

        yield Stores(memory, later)
        return
    url: str = request.getfixturevalue("fresh_database")
    await asyncio.to_thread(upgrade, url)
    pool = await create_pool(url)

    async def silent(job_id: str, seconds: float) -> None:
        await pool.execute(
            "UPDATE import_jobs SET updated_at = updated_at - make_interval(secs => $2)"
            " WHERE job_id = $1",
            job_id,
            seconds,
        )

    try:
        yield Stores(PostgresImportJobStore(lambda: pool), silent)
    finally:
        await pool.close()


class Scripted:
    """Reports `done` of `total` members written, then answers `report` (or raises
    `failure`) once the test releases it."""

    def __init__(self, done: int = 0, total: int = 0, failure: Exception | None = None) -> None:
        self.done, self.total, self.failure = done, total, failure
        self.release = asyncio.Event()
        self.report = ImportReport(rows=total + 1, imported=total)
        error = RowError(3, "birth_date", "born in the future", "sinh trong tương lai", {})
        self.report.refuse(error, "Vàng Seo Chứ")

    async def run(self, path: Path, progress: Progress | None = None) -> ImportReport:
        assert path.read_bytes() == b"the file"
        if progress is not None and self.total:
            progress(self.done, self.total)
        await self.release.wait()
        if self.failure is not None:
            raise self.failure
        if progress is not None:
            progress(self.total, self.total)
        return self.report


async def started(jobs: ImportJobs) -> ImportJob:
    with acting_as(SECRETARY):
        return await jobs.start("dang-vien.csv", b"the file")


async def status_of(reader: ImportJobs, job_id: str, status: str) -> ImportJob:
    """The job once the reader sees it in `status`."""
    seen: list[ImportJob] = []

    async def reached() -> bool:
        job = await reader.get(job_id)
        seen[:] = [job] if job is not None else []
        return job is not None and job.status == status

    await eventually(reached, timeout=10, what=f"the job {status}")
    return seen[0]


async def test_another_instance_reads_the_job_s_progress_then_its_report(
    stores: Stores,
) -> None:
    importer = Scripted(done=750, total=3000)
    runner = ImportJobs(lambda: importer, stores.store)
    reader = ImportJobs(lambda: Scripted(), stores.store)

    job = await started(runner)

    first = await reader.get(job.job_id)
    assert first is not None
    assert (first.status, first.filename, first.processed) == ("running", "dang-vien.csv", 0)
    assert await reader.place_of(job.job_id) == SECRETARY.scope

    async def progressed() -> bool:
        seen = await reader.get(job.job_id)
        return seen is not None and (seen.processed, seen.to_write) == (750, 3000)

    await eventually(progressed, timeout=10, what="the progress on the other instance")
    importer.release.set()
    done = await status_of(reader, job.job_id, "done")

    assert (done.processed, done.to_write, done.failure) == (3000, 3000, None)
    assert done.report is not None
    assert (done.report.rows, done.report.imported, done.report.unchanged) == (3001, 3000, 0)
    assert [(e.line, e.field, e.reason_vi) for e in done.report.errors] == [
        (3, "birth_date", "sinh trong tương lai")
    ]
    assert done.report.names == {3: "Vàng Seo Chứ"}
    assert await reader.get("f" * 32) is None
    assert await reader.place_of("f" * 32) is None


@pytest.mark.parametrize(
    ("failure", "english", "vietnamese"),
    [
        (
            MemberFileError("not a workbook", "không phải tệp XLSX"),
            "not a workbook",
            "không phải tệp XLSX",
        ),
        (RuntimeError("disk full"), "import failed: disk full", "nhập tệp thất bại: disk full"),
    ],
    ids=["unreadable", "unexpected"],
)
async def test_a_failed_job_says_why_in_both_languages_on_the_other_instance(
    stores: Stores, failure: Exception, english: str, vietnamese: str
) -> None:
    importer = Scripted(failure=failure)
    importer.release.set()
    job = await started(ImportJobs(lambda: importer, stores.store))

    failed = await status_of(ImportJobs(lambda: Scripted(), stores.store), job.job_id, "failed")

    assert failed.failure == (english, vietnamese)
    assert failed.report is None


async def test_a_running_job_whose_heartbeat_went_silent_reads_as_interrupted(
    stores: Stores,
) -> None:
    importer = Scripted(done=500, total=2000)
    job = await started(ImportJobs(lambda: importer, stores.store, stale_after=60))
    reader = ImportJobs(lambda: Scripted(), stores.store, stale_after=60)
    assert (await status_of(reader, job.job_id, "running")).status == "running"

    async def progressed() -> bool:
        seen = await reader.get(job.job_id)
        return seen is not None and seen.processed == 500

    await eventually(progressed, timeout=10, what="the progress written")
    await stores.silence(job.job_id, 61)

    interrupted = await reader.get(job.job_id)

    assert interrupted is not None
    assert interrupted.status == "interrupted"
    assert interrupted.failure is not None
    english, vietnamese = interrupted.failure
    assert "(500/2000) stay; upload the same file again" in english
    assert "(500/2000) vẫn được giữ; hãy tải lại đúng tệp" in vietnamese
    # An instance that was only slow, not gone, still ends its job: it reads as done.
    importer.release.set()
    assert (await status_of(reader, job.job_id, "done")).failure is None
    await stores.silence(job.job_id, 3600)
    ended = await reader.get(job.job_id)  # an ended job is never interrupted
    assert ended is not None
    assert ended.status == "done"


async def test_progress_reported_per_row_is_written_at_most_every_half_second(
    stores: Stores,
) -> None:
    counting = CountingStore(stores.store)
    calls = 0

    class PerRow(Scripted):
        async def run(self, path: Path, progress: Progress | None = None) -> ImportReport:
            nonlocal calls
            assert progress is not None
            began = time.monotonic()
            while time.monotonic() - began < 1.2:  # a long import telling every row
                calls += 1
                progress(calls, 10_000)
                await asyncio.sleep(0.001)
            return self.report

    job = await started(ImportJobs(lambda: PerRow(), counting))
    done = await status_of(ImportJobs(lambda: Scripted(), stores.store), job.job_id, "done")

    assert calls > 200
    assert done.processed == calls
    # the job added, a progress write for each half second at most, the last one
    assert 2 <= counting.writes <= 1 + 3 + 1


async def test_the_retention_run_deletes_jobs_written_last_more_than_30_days_ago(
    fresh_database: str,
) -> None:
    await asyncio.to_thread(upgrade, fresh_database)
    pool = await create_pool(fresh_database)
    try:
        store = PostgresImportJobStore(lambda: pool)
        for job_id, ended, days_ago in [
            ("old-done", True, 31),
            ("old-interrupted", False, 40),  # its instance died long ago
            ("recent-done", True, 29),
            ("running", False, 0),
        ]:
            job = ImportJob(job_id, "f.csv", ("LC",))
            await store.add(job)
            if ended:
                job.status = "done"
                await store.save(job)
            await pool.execute(
                "UPDATE import_jobs SET updated_at = now() - make_interval(days => $2)"
                " WHERE job_id = $1",
                job_id,
                days_ago,
            )
        categories, policy = assignment_retention(None), RetentionPolicy()
        today = today_in_vietnam()
        dry = await apply_retention(
            pool, "assignment", categories, policy, dry_run=True, today=today
        )
        assert dry.due["import_jobs"] == 2
        assert await pool.fetchval("SELECT count(*) FROM import_jobs") == 4

        report = await apply_retention(pool, "assignment", categories, policy, today=today)

        assert report.counts["import_jobs"] == 2
        kept = await pool.fetch("SELECT job_id FROM import_jobs ORDER BY job_id")
        assert [r["job_id"] for r in kept] == ["recent-done", "running"]
    finally:
        await pool.close()
