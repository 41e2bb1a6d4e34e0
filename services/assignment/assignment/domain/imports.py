"""What a file import answers: the member import's report and its job's progress, and a
plan's assignments sheet's report, or why it was refused. Each refused row says why in
both languages, and names the member as the row writes them, so a person finds it."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from chibo_kernel.errors import RuleViolation

from .member_columns import mapping_for
from .member_fields import as_text
from .member_rows import RowError

# A refused row's name is shown, not stored: a name too long to be valid is cut here.
_SHOWN_NAME_CHARS = 120
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co"})


@dataclass
class ImportReport:
    """A member export, read through."""

    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # refused rows' full names, by line

    def refuse(self, error: RowError, full_name: str | None) -> None:
        """Report a refused row with the full name it gives (none when its cell is empty)."""
        self.errors.append(error)
        if full_name:
            self.names[error.line] = full_name

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.imported} imported, {self.unchanged} unchanged, "
            f"{len(self.errors)} refused"
        )


def written_name(raw: Mapping[str, object]) -> str | None:
    """The full name a row gives, even one refused as a name: NFC, spaces collapsed,
    characters nobody can see left out, cut when too long to be a name."""
    header = mapping_for(tuple(raw)).get("name")
    text = as_text(raw.get(header)) if header is not None else ""
    nfc = unicodedata.normalize("NFC", text)
    visible = "".join(c for c in nfc if c.isspace() or unicodedata.category(c) not in _INVISIBLE)
    name = " ".join(visible.split())
    if len(name) > _SHOWN_NAME_CHARS:
        name = name[: _SHOWN_NAME_CHARS - 1] + "…"
    return name or None


@dataclass
class ImportJob:
    """A member import running as a job, as whoever started it; `interrupted`: the
    instance running it stopped before it ended (its heartbeat went silent)."""

    job_id: str
    filename: str
    org_path: tuple[str, ...] = ()  # the starter's subtree: where the job may write
    status: Literal["running", "done", "failed", "interrupted"] = "running"
    processed: int = 0
    to_write: int = 0
    report: ImportReport | None = None
    failure: tuple[str, str] | None = None  # (en, vi)


@dataclass
class PlanImportReport:
    """A plan's assignments sheet, taken whole: every row stands."""

    rows: int = 0
    assigned: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class RefusedRow:
    """A row of a plan's sheet that cannot stand: the row number a person sees, the member
    it names when the card number found one, and why, in both languages."""

    row: int
    full_name: str | None
    detail: str
    detail_vi: str


class SheetRefused(RuleViolation):
    """A plan's sheet with bad rows is refused whole, so that what the branch adopts is the
    sheet it wrote: nothing is saved until every row stands."""

    def __init__(self, rows: list[RefusedRow]) -> None:
        self.rows = rows
        count = len(rows)
        super().__init__(
            "sheet_refused",
            f"{count} row(s) of the sheet cannot be taken; nothing was saved: correct them "
            "and upload the sheet again",
            f"bảng có {count} dòng không hợp lệ nên chưa lưu gì: hãy sửa các dòng đó rồi "
            "tải bảng lên lại",
        )
