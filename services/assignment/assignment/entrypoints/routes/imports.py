"""Routes for member imports, which run as jobs: decode, run through the boundary, encode."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, reads_personal_data, runs_once_per_key

from ...application import queries as q
from ...domain import commands as c
from ...domain.errors import refuse
from ...domain.imports import ImportJob
from .. import import_schemas as s
from .params import JobId, row_problems

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FILE_TYPES = {".csv", ".xlsx"}


def import_status(job: ImportJob) -> s.ImportStatus:
    report = job.report
    return s.ImportStatus(
        job_id=job.job_id,
        filename=job.filename,
        status=job.status,
        processed=job.processed,
        to_write=job.to_write,
        rows=report.rows if report else None,
        imported=report.imported if report else None,
        unchanged=report.unchanged if report else None,
        errors=row_problems(report.errors, report.names) if report else [],
        failure=job.failure[0] if job.failure else None,
        failure_vi=job.failure[1] if job.failure else None,
    )


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    @api.post(
        "/imports/members",
        status_code=202,
        dependencies=[authorised(bus, c.ImportMembers), Depends(runs_once_per_key)],
    )
    async def import_members(
        request: Request, filename: Annotated[str, Query(min_length=5, max_length=200)]
    ) -> s.ImportStatus:
        """Upload a CSV or XLSX export as the request body; the import runs as a job, as
        whoever started it: `members` at every row's branch, a row naming a branch outside
        the caller's subtree is refused like an unknown branch."""
        if Path(filename).suffix.lower() not in FILE_TYPES:
            raise refuse(
                "unsupported_file",
                "upload a .csv or .xlsx file",
                "hãy tải lên tệp .csv hoặc .xlsx",
            )
        content = await request.body()
        if not content or len(content) > MAX_UPLOAD_BYTES:
            raise refuse(
                "bad_upload_size",
                f"the file must be between 1 byte and {MAX_UPLOAD_BYTES // 2**20} MiB",
                f"tệp phải có dung lượng từ 1 byte đến {MAX_UPLOAD_BYTES // 2**20} MiB",
            )
        return import_status(await bus.run(c.ImportMembers(filename, content)))

    @api.get("/imports/{job_id}", dependencies=[authorised(bus, q.ImportProgress)])
    @reads_personal_data("member_records")  # refused rows quote card numbers
    async def import_progress(
        job_id: JobId,
    ) -> s.ImportStatus:
        """`read` over the subtree of whoever started the job; answered alike on every
        instance. `status`: `running`, `done`, `failed`, or `interrupted` (the instance
        running it stopped: the members written stay, and the same file may be uploaded
        again)."""
        return import_status(await bus.run(q.ImportProgress(job_id)))
