"""Imports run as jobs: the upload answers at once with a job id, and the job's progress
and report can be read while it runs, on any instance of the service.

The job runs as a task on the instance that received the upload, and writes itself to the
job store (`import_job_store.py`; the service's database) when it starts, then at most
every `flush_every` seconds while its progress moves and at least every quarter of
`stale_after` as a heartbeat, and once when it ends: the import itself never waits for a
write. A running job whose heartbeat is older than `stale_after` has lost the instance
running it (stopped, killed, cut off from the database): it reads as `interrupted`, saying
in both languages that the members already written stay written and that the import, being
idempotent, can simply be run again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from chibo_chassis.auth import current_principal
from chibo_kernel.errors import ChiboError
from chibo_kernel.logging import get_logger

from ..adapters.member_file import MemberFileError, read_member_file
from ..adapters.uploads import uploaded
from ..domain.errors import refuse
from ..domain.imports import ImportJob, ImportReport
from ..domain.member_columns import map_headers, missing_columns_message
from .import_job_store import ImportJobStore
from .member_import import Progress

log = get_logger("assignment.import")

STALE_AFTER = 60.0  # seconds without a heartbeat before a running job reads as interrupted
FLUSH_EVERY = 0.5  # seconds between progress writes at most


class Importer(Protocol):
    """What runs the rows (`member_import.MemberImport`)."""

    async def run(self, path: Path, progress: Progress | None = None) -> ImportReport: ...


class ImportJobs:
    def __init__(
        self,
        importer: Callable[[], Importer],
        store: ImportJobStore,
        *,
        stale_after: float = STALE_AFTER,
        flush_every: float = FLUSH_EVERY,
    ) -> None:
        self._importer = importer
        self._store = store
        self._stale_after = stale_after
        self._flush_every = min(flush_every, stale_after / 4)
        self._tasks: dict[str, asyncio.Task[None]] = {}

    async def get(self, job_id: str) -> ImportJob | None:
        """The job as last written, by whichever instance runs it; interrupted when that
        instance has gone silent."""
        stored = await self._store.get(job_id)
        if stored is None:
            return None
        job = stored.job
        if job.status == "running" and stored.silent_for > self._stale_after:
            job.status, job.failure = "interrupted", interrupted(job)
        return job

    async def place_of(self, job_id: str) -> tuple[str, ...] | None:
        """Where a job acts: the subtree of whoever started it (None: no such job)."""
        return await self._store.place_of(job_id)

    async def check(self, filename: str, content: bytes) -> None:
        """Refuse at once, with no job, a file that fails before any row is read: one that
        cannot be read, or whose header lacks a column the import needs (422)."""
        suffix = Path(filename).suffix.lower()
        async with uploaded(content, f"upload{suffix}", prefix="chibo-import-") as path:
            await asyncio.to_thread(_header_checked, path)

    async def start(self, filename: str, content: bytes) -> ImportJob:
        """The job runs as whoever started it: the principal in force goes with the task,
        and its subtree is where the job may write. Stored before it is answered, so that
        any instance finds it at once."""
        principal = current_principal()
        job = ImportJob(uuid.uuid4().hex, filename, principal.scope if principal else ())
        await self._store.add(job)
        suffix = Path(filename).suffix.lower()
        self._tasks[job.job_id] = asyncio.create_task(self._run(job, suffix, content))
        return dataclasses.replace(job)

    async def _run(self, job: ImportJob, suffix: str, content: bytes) -> None:
        def progress(done: int, total: int) -> None:
            job.processed, job.to_write = done, total

        ended = asyncio.Event()
        writer = asyncio.create_task(self._keep_written(job, ended))
        try:
            async with uploaded(content, f"upload{suffix}", prefix="chibo-import-") as path:
                job.report = await self._importer().run(path, progress)
            job.status = "done"
            log.info("member import done", job=job.job_id, summary=job.report.summary())
        except (MemberFileError, ChiboError) as exc:
            job.status, job.failure = "failed", (exc.message_en, exc.message_vi)
        except Exception as exc:  # reported on the job, never lost in a background task
            log.error("member import failed", job=job.job_id, error=repr(exc))
            job.status = "failed"
            job.failure = (f"import failed: {exc}", f"nhập tệp thất bại: {exc}")
        except asyncio.CancelledError:  # the process is stopping: said now if it still can
            job.status, job.failure = "interrupted", interrupted(job)
            raise
        finally:
            ended.set()
            await writer
            await self._write(job)
            self._tasks.pop(job.job_id, None)

    async def _keep_written(self, job: ImportJob, ended: asyncio.Event) -> None:
        """Writes the job while it runs: when its progress has moved, at most every
        `flush_every`; when it has not, every heartbeat."""
        heartbeat = self._stale_after / 4
        written, written_at = (job.processed, job.to_write), time.monotonic()
        while not ended.is_set():
            try:
                await asyncio.wait_for(ended.wait(), self._flush_every)
                return
            except TimeoutError:
                pass
            now = (job.processed, job.to_write)
            if now != written or time.monotonic() - written_at >= heartbeat:
                await self._write(job)
                written, written_at = now, time.monotonic()

    async def _write(self, job: ImportJob) -> None:
        try:
            await self._store.save(job)
        except Exception as exc:  # the import goes on; the next write or heartbeat retries
            log.warning("writing an import job failed", job=job.job_id, error=repr(exc))


def interrupted(job: ImportJob) -> tuple[str, str]:
    """Why a job stopped half-way, and what to do, in both languages."""
    written = f"{job.processed}/{job.to_write}" if job.to_write else str(job.processed)
    return (
        f"the import stopped before it ended: the service instance running it stopped. "
        f"The members already written ({written}) stay; upload the same file again to "
        "import the rest: the rows already imported are counted as unchanged",
        f"lượt nhập dừng trước khi xong vì phiên bản dịch vụ đang chạy nó đã dừng. Các đảng "
        f"viên đã ghi ({written}) vẫn được giữ; hãy tải lại đúng tệp đó để nhập phần còn "
        "lại: các dòng đã nhập sẽ được tính là không đổi",
    )


def _header_checked(path: Path) -> None:
    try:  # the first row only: the rest is the job's (CPython closes the reader at once)
        first = next(read_member_file(path), None)
    except MemberFileError as unreadable:
        raise refuse("unreadable_file", unreadable.message_en, unreadable.message_vi) from None
    if first is not None:
        mapped = map_headers(list(first[1]))
        if isinstance(mapped, list):
            raise refuse("missing_columns", *missing_columns_message(mapped))
