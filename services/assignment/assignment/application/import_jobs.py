"""Imports run as jobs: the upload answers at once with a job id, and the job's progress
and report can be read while it runs.

Jobs live in the process that runs them. If it stops mid-way, the members already written
stay written and the import, being idempotent, can simply be run again.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from chibo_kernel.errors import ChiboError
from chibo_kernel.logging import get_logger

from ..adapters.member_file import MemberFileError
from .member_import import ImportReport, MemberImport

log = get_logger("assignment.import")


@dataclass
class ImportJob:
    job_id: str
    filename: str
    org_path: tuple[str, ...] = ()  # the starter's subtree: where the job may write
    status: Literal["running", "done", "failed"] = "running"
    processed: int = 0
    to_write: int = 0
    report: ImportReport | None = None
    failure: tuple[str, str] | None = None  # (en, vi)
    task: asyncio.Task[None] | None = field(default=None, repr=False)


class ImportJobs:
    def __init__(self, importer: Callable[[], MemberImport]) -> None:
        self._importer = importer
        self._jobs: dict[str, ImportJob] = {}

    def get(self, job_id: str) -> ImportJob | None:
        return self._jobs.get(job_id)

    def start(self, filename: str, content: bytes, org_path: tuple[str, ...] = ()) -> ImportJob:
        """The job runs as whoever started it: the principal in force goes with the task."""
        job = ImportJob(uuid.uuid4().hex, filename, org_path)
        job.task = asyncio.create_task(self._run(job, Path(filename).suffix.lower(), content))
        self._jobs[job.job_id] = job
        return job

    async def _run(self, job: ImportJob, suffix: str, content: bytes) -> None:
        def progress(done: int, total: int) -> None:
            job.processed, job.to_write = done, total

        folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="chibo-import-"))
        path = folder / f"upload{suffix}"
        try:
            await asyncio.to_thread(path.write_bytes, content)
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
            await asyncio.to_thread(shutil.rmtree, folder, True)
