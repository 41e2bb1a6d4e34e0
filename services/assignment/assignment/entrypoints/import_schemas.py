"""Answers of the file imports: the rows refused in a file, and a member import job's
progress."""

from __future__ import annotations

from pydantic import BaseModel


class RowProblem(BaseModel):
    line: int
    full_name: str | None = None  # as the row writes it (NFC); none when its cell is empty
    field: str
    reason: str
    reason_vi: str


class ImportStatus(BaseModel):
    job_id: str
    filename: str
    status: str
    processed: int
    to_write: int
    rows: int | None = None
    imported: int | None = None
    unchanged: int | None = None
    errors: list[RowProblem] = []
    failure: str | None = None
    failure_vi: str | None = None
