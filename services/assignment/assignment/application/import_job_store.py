"""Where member import jobs are kept, so that every instance of the service reads the same
job: the port, and what a read of it answers. The running service keeps them in its
database (`adapters/import_job_store.py`); a test may keep them in memory
(`adapters/memory_import_jobs.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..domain.imports import ImportJob


@dataclass(frozen=True)
class StoredJob:
    """A job as last written, and how long ago that was (its heartbeat), by the store's
    own clock: instances whose clocks differ still agree on a job's silence."""

    job: ImportJob
    silent_for: float  # seconds since the job was last written


class ImportJobStore(Protocol):
    async def add(self, job: ImportJob) -> None:
        """A job just started: written before the upload is answered."""
        ...

    async def save(self, job: ImportJob) -> None:
        """The job as it stands (progress, status, report, failure), its heartbeat now;
        the first save of an ended job records when it ended."""
        ...

    async def get(self, job_id: str) -> StoredJob | None: ...

    async def place_of(self, job_id: str) -> tuple[str, ...] | None:
        """The subtree of whoever started the job (None: no such job)."""
        ...
