"""A member export read as a job (`application/member_import.py`): answered at once with
the job, whose progress and report `queries/import_progress.py` reads while it runs; a
file that cannot be read, or lacks a needed column, is refused at once (422), no job."""

from __future__ import annotations

from ...domain.commands import ImportMembers
from ...domain.imports import ImportJob
from ..import_jobs import ImportJobs


async def handle(command: ImportMembers, jobs: ImportJobs) -> ImportJob:
    await jobs.check(command.filename, command.content)
    return await jobs.start(command.filename, command.content)
