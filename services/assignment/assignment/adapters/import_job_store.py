"""Member import jobs in the service's database (table `import_jobs`, migration a0009), so
that whichever instance answers reads the job the instance running it writes. A job is
written when it starts, then at most every half second while its progress moves, at each
heartbeat, and once when it ends (`application/import_jobs.py`).

The report keeps what the job's answer shows of each refused row (line, column, reasons,
the name it gives), never the row as read: its card number and birth date stay in the file.
The daily retention run deletes jobs `import_jobs.keep_days` after they were last written
(`adapters/retention.py`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chibo_kernel.pool import LeanPool

from ..application.import_job_store import StoredJob
from ..domain.imports import ImportJob, ImportReport
from ..domain.member_rows import RowError

_ADD = """
INSERT INTO import_jobs (job_id, org_path, filename, status, started_at, updated_at)
VALUES ($1, $2, $3, $4, now(), now())
"""
_SAVE = """
UPDATE import_jobs
   SET status = $2, processed = $3, to_write = $4, report = $5::jsonb,
       failure_en = $6, failure_vi = $7, updated_at = now(),
       finished_at = CASE WHEN $2 = 'running' THEN NULL ELSE coalesce(finished_at, now()) END
 WHERE job_id = $1
"""
_GET = """
SELECT job_id, org_path, filename, status, processed, to_write, report, failure_en,
       failure_vi, extract(epoch FROM clock_timestamp() - updated_at)::float8 AS silent_for
  FROM import_jobs WHERE job_id = $1
"""
_PLACE = "SELECT org_path FROM import_jobs WHERE job_id = $1"


class PostgresImportJobStore:
    def __init__(self, pool: Callable[[], LeanPool]) -> None:
        self._pool = pool

    async def add(self, job: ImportJob) -> None:
        await self._pool().execute(_ADD, job.job_id, list(job.org_path), job.filename, job.status)

    async def save(self, job: ImportJob) -> None:
        en, vi = job.failure if job.failure is not None else (None, None)
        report = report_json(job.report) if job.report is not None else None
        await self._pool().execute(
            _SAVE, job.job_id, job.status, job.processed, job.to_write, report, en, vi
        )

    async def get(self, job_id: str) -> StoredJob | None:
        row = await self._pool().fetchrow(_GET, job_id)
        if row is None:
            return None
        en, vi = row["failure_en"], row["failure_vi"]
        job = ImportJob(
            row["job_id"],
            row["filename"],
            tuple(row["org_path"]),
            status=row["status"],
            processed=row["processed"],
            to_write=row["to_write"],
            report=report_from(row["report"]) if row["report"] is not None else None,
            failure=(en, vi) if en is not None and vi is not None else None,
        )
        return StoredJob(job, max(0.0, row["silent_for"]))

    async def place_of(self, job_id: str) -> tuple[str, ...] | None:
        path = await self._pool().fetchval(_PLACE, job_id)
        return tuple(path) if path is not None else None


def report_json(report: ImportReport) -> str:
    errors = [[e.line, e.field, e.reason_en, e.reason_vi] for e in report.errors]
    return json.dumps(
        {
            "rows": report.rows,
            "imported": report.imported,
            "unchanged": report.unchanged,
            "errors": errors,
            "names": {str(line): name for line, name in report.names.items()},
        },
        ensure_ascii=False,
    )


def report_from(text: str) -> ImportReport:
    data: dict[str, Any] = json.loads(text)
    return ImportReport(
        rows=data["rows"],
        imported=data["imported"],
        unchanged=data["unchanged"],
        errors=[RowError(line, field, en, vi, {}) for line, field, en, vi in data["errors"]],
        names={int(line): name for line, name in data["names"].items()},
    )
