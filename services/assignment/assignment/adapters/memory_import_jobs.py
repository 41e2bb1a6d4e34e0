"""Import jobs kept in memory (`application/import_job_store.py`), for the service wired on
the in-memory store and the tests of the job's lifecycle. Each save keeps a copy, so a
reader sees what was last written, as it would from the database, not the running job."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from ..application.import_job_store import StoredJob
from ..domain.imports import ImportJob


class MemoryImportJobStore:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """`clock`: seconds, only ever compared with itself (a test may move it on)."""
        self._clock = clock
        self._jobs: dict[str, tuple[ImportJob, float]] = {}

    async def add(self, job: ImportJob) -> None:
        await self.save(job)

    async def save(self, job: ImportJob) -> None:
        self._jobs[job.job_id] = (copy.deepcopy(job), self._clock())

    async def get(self, job_id: str) -> StoredJob | None:
        found = self._jobs.get(job_id)
        if found is None:
            return None
        job, written_at = found
        return StoredJob(copy.deepcopy(job), self._clock() - written_at)

    async def place_of(self, job_id: str) -> tuple[str, ...] | None:
        found = self._jobs.get(job_id)
        return found[0].org_path if found is not None else None
