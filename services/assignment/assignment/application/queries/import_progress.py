"""A member import job's progress, and its report once done, read on any instance; a job
whose instance went silent reads as interrupted (`import_jobs.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.domain import Message
from chibo_kernel.errors import NotFound

from ...domain.imports import ImportJob
from .reads import Reads


@dataclass(frozen=True)
class ImportProgress(Message[ImportJob]):
    job_id: str


async def handle(query: ImportProgress, reads: Reads) -> ImportJob:
    job = await reads.jobs.get(query.job_id)
    if job is None:
        raise NotFound(f"import job {query.job_id}", f"lượt nhập {query.job_id}")
    return job
