"""Importing member master data exported by the national member database.

The whole file is read and every row checked before anything is written, so a file that
turns out to be damaged changes nothing. Then, row by row in file order:
- a bad row, or a row naming an unknown branch, is reported with its reason and skipped;
  so is a row whose registration the boundary would refuse whoever runs the import (a
  branch outside their subtree: said the same way as an unknown one, so branches outside
  it cannot be probed); a branch is named by its code or by its name
  (`import_branches.py`);
- a card number already registered with the same facts is counted as unchanged: running
  the same file twice changes nothing;
- a card number already registered with different facts is reported, never overwritten;
- the rest are registered, 250 members per append, reporting progress after each, each
  attending the branch since the day its row says, or since the day of the import when it
  says none: a member entered late then changes no roster, attendance figure or report
  expected before it. Running the same file again on a later day is still "unchanged":
  the day a registered member began attending is not compared.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from chibo_kernel.domain import Aggregate, Repository
from chibo_kernel.errors import ChiboError
from chibo_kernel.pool import LeanPool

from ..adapters.member_file import MemberFileError, read_member_file
from ..domain.commands import RegisterMember
from ..domain.events import MemberStatus
from ..domain.identity import MemberIdentity
from ..domain.imports import ImportReport, written_name
from ..domain.member import Member
from ..domain.member_columns import map_headers, missing_columns_message
from ..domain.member_rows import MemberRow, RowError, dedupe, validate_row
from .import_branches import ImportBranches, unknown_branch

CHUNK = 250
PROBATION_DAYS = 365  # đảng viên dự bị: twelve months from admission

Progress = Callable[[int, int], None]
# Whether whoever runs the import may register this member (the boundary's answer for the
# row as a RegisterMember); none: the service itself runs it (an operator's tool).
Permits = Callable[[RegisterMember], Awaitable[bool]]

_EXISTING = """
SELECT c.card_number, c.birth_date, m.full_name, m.admission_date, m.branch_id
  FROM member_cards c JOIN members m USING (member_id)
 WHERE c.card_number = ANY($1::text[])
"""


class MemberImport:
    def __init__(
        self, repository: Repository, pool: LeanPool, *, today: date, permits: Permits | None = None
    ) -> None:
        """`today`: Vietnam's, the day of the import."""
        self._repo = repository
        self._pool = pool
        self._today = today
        self._permits = permits
        self._branches = ImportBranches(repository, pool, self._may_register)

    async def run(self, path: Path, progress: Progress | None = None) -> ImportReport:
        report = ImportReport()
        # Parsing a large workbook is CPU work: off the event loop, the service keeps serving.
        rows = await asyncio.to_thread(self._checked_rows, path, report)
        fresh = await self._settle_known(rows, report)
        done = 0
        for start in range(0, len(fresh), CHUNK):
            chunk = fresh[start : start + CHUNK]
            await self._register(chunk, report)
            done += len(chunk)
            if progress is not None:
                progress(done, len(fresh))
        report.errors.sort(key=lambda e: e.line)
        return report

    def _checked_rows(self, path: Path, report: ImportReport) -> list[MemberRow]:
        raw_rows = list(read_member_file(path))  # a damaged file raises here, before writing
        report.rows = len(raw_rows)
        if raw_rows:
            mapped = map_headers(list(raw_rows[0][1]))
            if isinstance(mapped, list):
                en, vi = missing_columns_message(mapped)
                raise MemberFileError(en, vi)
        valid: list[MemberRow] = []
        for line, raw in raw_rows:
            checked = validate_row(line, raw, today=self._today)
            if isinstance(checked, RowError):
                report.refuse(checked, written_name(raw))
            else:
                valid.append(checked)
        kept, duplicates = dedupe(valid)
        names = {row.line: row.name for row in valid}
        for duplicate in duplicates:
            report.refuse(duplicate, names.get(duplicate.line))
        return kept

    async def _settle_known(
        self, rows: Sequence[MemberRow], report: ImportReport
    ) -> list[MemberRow]:
        """The rows to register, each naming its unit by code; the others reported."""
        known = {
            r["card_number"]: r
            for r in await self._pool.fetch(_EXISTING, [row.card_number for row in rows])
        }
        fresh = []
        for row in rows:
            code = await self._branches.code_of(row)
            if isinstance(code, RowError):
                report.refuse(code, row.name)
                continue
            existing = known.get(row.card_number)
            if existing is None:
                if await self._branches.unit(code) is None:
                    report.refuse(unknown_branch(row), row.name)
                else:
                    fresh.append(replace(row, branch_code=code))
            elif (
                existing["full_name"] == row.name
                and existing["birth_date"] == row.birth_date
                and existing["admission_date"] == row.admission_date
                and existing["branch_id"] == code
            ):
                report.unchanged += 1
            else:
                report.refuse(_conflict(row), row.name)
        return fresh

    async def _register(self, rows: Sequence[MemberRow], report: ImportReport) -> None:
        changes: list[tuple[Aggregate, list[str]]] = []
        registered = 0
        for row in rows:
            branch = await self._branches.unit(row.branch_code)
            assert branch is not None
            member = Member(uuid.uuid4().hex)
            identity = MemberIdentity(member.id)
            try:
                member.register(
                    full_name=row.name,
                    branch=branch,
                    admission_date=row.admission_date,
                    status=self._status(row.admission_date),
                    attending_since=row.attending_since,
                    today=self._today,
                )
                identity.record(member, card_number=row.card_number, birth_date=row.birth_date)
            except ChiboError as refused:
                report.refuse(_refused(row, refused), row.name)
                continue
            changes += [(member, branch.path), (identity, branch.path)]
            registered += 1
        await self._repo.save(changes)
        report.imported += registered

    def _status(self, admission: date) -> MemberStatus:
        return "probationary" if (self._today - admission).days < PROBATION_DAYS else "full"

    async def _may_register(self, row: MemberRow, code: str) -> bool:
        """The boundary's answer for the row's registration in the unit of this code."""
        if self._permits is None:
            return True
        command = RegisterMember(
            full_name=row.name,
            branch_id=code,
            admission_date=row.admission_date,
            status=self._status(row.admission_date),
            card_number=row.card_number,
            birth_date=row.birth_date,
            attending_since=row.attending_since,
            today=self._today,
        )
        return await self._permits(command)


def _conflict(row: MemberRow) -> RowError:
    return RowError(
        row.line,
        "card_number",
        f"card number {row.card_number} is already registered with other details; "
        "correct the member through the service, not by import",
        f"số thẻ {row.card_number} đã được đăng ký với thông tin khác; "
        "hãy sửa thông tin đảng viên trực tiếp, không qua nhập tệp",
        {"card_number": row.card_number},
    )


def _refused(row: MemberRow, refused: ChiboError) -> RowError:
    return RowError(row.line, "row", refused.message_en, refused.message_vi, {})
