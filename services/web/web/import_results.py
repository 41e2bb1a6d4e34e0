"""An uploaded sheet on its way to a service, and what came back, made ready to show: the
file's name and bytes checked before they are sent, a plan sheet's answer (taken, or refused
row by row), a member import job's progress and its refused rows, in the reader's language."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from fastapi import UploadFile

from .adapters.api import ApiProblem
from .plan_data import labelled

MAX_UPLOAD_BYTES = 5 * 2**20  # what the plan import takes; member lists of a branch are far less
FILE_TYPES = (".xlsx", ".csv")
WRONG_FILE = (
    "Hãy chọn một tệp Excel (.xlsx) hoặc CSV không quá 5 MB.",
    "Choose an Excel (.xlsx) or CSV file of at most 5 MB.",
)


class UploadRefused(Exception):
    def __init__(self, pair: tuple[str, str]) -> None:
        super().__init__(pair[1])
        self.pair = pair

    def text(self, lang: str) -> str:
        return self.pair[1] if lang == "en" else self.pair[0]


async def read_upload(upload: UploadFile | None) -> tuple[str, bytes]:
    """The file's own name (a path some browsers send cut off, kept within what the services
    take) and its bytes; UploadRefused for anything else."""
    if upload is None or not upload.filename:
        raise UploadRefused(WRONG_FILE)
    name = posixpath.basename(upload.filename.replace("\\", "/")).strip()
    stem, dot, suffix = name.rpartition(".")
    if f".{suffix.lower()}" not in FILE_TYPES or not dot:
        raise UploadRefused(WRONG_FILE)
    name = f"{(stem or 'tep')[:150]}.{suffix.lower()}"
    if len(name) < 5:
        name = f"tep-{name}"
    content = await upload.read(MAX_UPLOAD_BYTES + 1)
    if not content or len(content) > MAX_UPLOAD_BYTES:
        raise UploadRefused(WRONG_FILE)
    return name, content


@dataclass
class RowResult:
    row: int
    who: str  # the member's name when the row found one; "" otherwise
    what: str


@dataclass
class ImportResult:
    """What the result fragment shows. `percent` None: under way, how far not known yet."""

    done: bool
    percent: int | None
    filename: str = ""
    accepted: bool = False
    message: str = ""
    rows: int | None = None
    changed: int | None = None
    unchanged: int | None = None
    refused: list[RowResult] = field(default_factory=list)
    job_id: str | None = None


def plan_taken(filename: str, answer: dict[str, Any]) -> ImportResult:
    return ImportResult(
        done=True,
        percent=100,
        filename=filename,
        accepted=True,
        rows=answer.get("rows"),
        changed=answer.get("assigned"),
        unchanged=answer.get("unchanged"),
    )


def plan_refused(
    filename: str, problem: ApiProblem, lang: str, labels: dict[str, str]
) -> ImportResult:
    """A sheet refused whole names each bad row; a sheet that cannot be read says why."""
    rows = [
        RowResult(
            int(r.get("row", 0)),
            r.get("full_name") or "",
            labelled(str(r.get("detail") if lang == "en" else r.get("detail_vi")), labels),
        )
        for r in problem.body.get("rows") or []
    ]
    return ImportResult(
        done=True,
        percent=100,
        filename=filename,
        message=problem.text(lang),
        refused=sorted(rows, key=lambda r: r.row),
    )


def job_progress(status: dict[str, Any], lang: str) -> ImportResult:
    """A member import job, as far as it got."""
    state = status.get("status", "running")
    processed, to_write = int(status.get("processed") or 0), int(status.get("to_write") or 0)
    done = state != "running"
    percent = 100 if done else (processed * 100 // to_write if to_write else None)
    failure = status.get("failure") if lang == "en" else status.get("failure_vi")
    refused = [
        RowResult(int(e.get("line", 0)), e.get("full_name") or "", _row_reason(e, lang))
        for e in status.get("errors") or []
    ]
    return ImportResult(
        done=done,
        percent=percent,
        filename=str(status.get("filename") or ""),
        accepted=state == "done" and not failure,
        message=str(failure or ""),
        rows=status.get("rows"),
        changed=status.get("imported"),
        unchanged=status.get("unchanged"),
        refused=refused,
        job_id=str(status.get("job_id") or ""),
    )


def refused_upload(filename: str, text: str) -> ImportResult:
    return ImportResult(done=True, percent=100, filename=filename, message=text)


def _row_reason(error: dict[str, Any], lang: str) -> str:
    # The service's reason already names the column ("Thiếu ngày sinh").
    return str(error.get("reason") if lang == "en" else error.get("reason_vi"))
