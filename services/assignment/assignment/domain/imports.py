"""What a file import answers: the member import's report and its job's progress, and a
plan's assignments sheet's report. Each refused row is a `RowError`, in both languages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .member_rows import RowError


@dataclass
class ImportReport:
    """A member export, read through."""

    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.imported} imported, {self.unchanged} unchanged, "
            f"{len(self.errors)} refused"
        )


@dataclass
class ImportJob:
    """A member import running as a job, as whoever started it."""

    job_id: str
    filename: str
    org_path: tuple[str, ...] = ()  # the starter's subtree: where the job may write
    status: Literal["running", "done", "failed"] = "running"
    processed: int = 0
    to_write: int = 0
    report: ImportReport | None = None
    failure: tuple[str, str] | None = None  # (en, vi)


@dataclass
class PlanImportReport:
    """A plan's assignments sheet, read through."""

    rows: int = 0
    assigned: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
