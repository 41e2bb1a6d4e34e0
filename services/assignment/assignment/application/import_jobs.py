"""Imports run as jobs: the upload answers at once with a job id, and the job's progress
and report can be read while it runs.

Jobs live in the process that runs them. If it stops mid-way, the members already written
stay written and the import, being idempotent, can simply be run again.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from pathlib import Path

from chibo_chassis.auth import current_principal
from chibo_kernel.errors import ChiboError
from chibo_kernel.logging import get_logger

from ..adapters.member_file import MemberFileError, read_member_file
from ..adapters.uploads import uploaded
from ..domain.errors import refuse
from ..domain.imports import ImportJob
from ..domain.member_columns import map_headers, missing_columns_message
from .member_import import MemberImport

log = get_logger("assignment.import")


class ImportJobs:
    def __init__(self, importer: Callable[[], MemberImport]) -> None:
        self._importer = importer
        self._jobs: dict[str, ImportJob] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def get(self, job_id: str) -> ImportJob | None:
        return self._jobs.get(job_id)

    def place_of(self, job_id: str) -> tuple[str, ...] | None:
        """Where a job acts: the subtree of whoever started it (None: no such job)."""
        job = self._jobs.get(job_id)
        return job.org_path if job is not None else None

    async def check(self, filename: str, content: bytes) -> None:
        """Refuse at once, with no job, a file that fails before any row is read: one that
        cannot be read, or whose header lacks a column the import needs (422)."""
        suffix = Path(filename).suffix.lower()
        async with uploaded(content, f"upload{suffix}", prefix="chibo-import-") as path:
            await asyncio.to_thread(_header_checked, path)

    def start(self, filename: str, content: bytes) -> ImportJob:
        """The job runs as whoever started it: the principal in force goes with the task,
        and its subtree is where the job may write."""
        principal = current_principal()
        job = ImportJob(uuid.uuid4().hex, filename, principal.scope if principal else ())
        suffix = Path(filename).suffix.lower()
        self._tasks[job.job_id] = asyncio.create_task(self._run(job, suffix, content))
        self._jobs[job.job_id] = job
        return job

    async def _run(self, job: ImportJob, suffix: str, content: bytes) -> None:
        def progress(done: int, total: int) -> None:
            job.processed, job.to_write = done, total

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
        finally:
            self._tasks.pop(job.job_id, None)


def _header_checked(path: Path) -> None:
    try:  # the first row only: the rest is the job's (CPython closes the reader at once)
        first = next(read_member_file(path), None)
    except MemberFileError as unreadable:
        raise refuse("unreadable_file", unreadable.message_en, unreadable.message_vi) from None
    if first is not None:
        mapped = map_headers(list(first[1]))
        if isinstance(mapped, list):
            raise refuse("missing_columns", *missing_columns_message(mapped))
