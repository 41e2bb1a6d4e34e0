"""Importing member master data exported by the national member database.

The whole file is read and every row checked before anything is written, so a file that
turns out to be damaged changes nothing. Then, row by row in file order:
- a bad row, or a row naming an unknown branch, is reported with its reason and skipped;
  so is a row whose registration the boundary would refuse whoever runs the import (a
  branch outside their subtree: said the same way as an unknown one, so branches outside
  it cannot be probed);
- a card number already registered with the same facts is counted as unchanged: running
  the same file twice changes nothing;
- a card number already registered with different facts is reported, never overwritten;
- the rest are registered, 250 members per append, reporting progress after each.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from pathlib import Path

from chibo_kernel.domain import Aggregate, Repository
from chibo_kernel.errors import ChiboError
from chibo_kernel.pool import LeanPool

from ..adapters.directory import ReadModelDirectory
from ..adapters.member_file import MemberFileError, read_member_file
from ..domain.commands import RegisterMember
from ..domain.events import MemberStatus
from ..domain.identity import MemberIdentity
from ..domain.imports import ImportReport
from ..domain.member import Member
from ..domain.member_columns import map_headers, missing_columns_message
from ..domain.member_rows import MemberRow, RowError, dedupe, validate_row
from ..domain.org import OrgUnit

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

_PATH = "SELECT path FROM org_units WHERE unit_id = $1"


class MemberImport:
    def __init__(
        self, repository: Repository, pool: LeanPool, *, today: date, permits: Permits | None = None
    ) -> None:
        self._repo = repository
        self._pool = pool
        self._directory = ReadModelDirectory(lambda: pool)
        self._today = today
        self._permits = permits
        self._permitted: dict[str, bool] = {}
        self._branches: dict[str, OrgUnit | None] = {}
        self._paths: dict[str, list[str] | None] = {}

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
                report.errors.append(checked)
            else:
                valid.append(checked)
        kept, duplicates = dedupe(valid)
        report.errors += duplicates
        return kept

    async def _settle_known(
        self, rows: Sequence[MemberRow], report: ImportReport
    ) -> list[MemberRow]:
        known = {
            r["card_number"]: r
            for r in await self._pool.fetch(_EXISTING, [row.card_number for row in rows])
        }
        fresh = []
        for row in rows:
            if not await self._may_register(row):
                report.errors.append(_unknown_branch(row))
                continue
            existing = known.get(row.card_number)
            if existing is None:
                if await self._branch(row.branch_code) is None:
                    report.errors.append(_unknown_branch(row))
                else:
                    fresh.append(row)
            elif (
                existing["full_name"] == row.name
                and existing["birth_date"] == row.birth_date
                and existing["admission_date"] == row.admission_date
                and existing["branch_id"] == row.branch_code
            ):
                report.unchanged += 1
            else:
                report.errors.append(_conflict(row))
        return fresh

    async def _register(self, rows: Sequence[MemberRow], report: ImportReport) -> None:
        changes: list[tuple[Aggregate, list[str]]] = []
        registered = 0
        for row in rows:
            branch = await self._branch(row.branch_code)
            assert branch is not None
            member = Member(uuid.uuid4().hex)
            identity = MemberIdentity(member.id)
            try:
                member.register(
                    full_name=row.name,
                    branch=branch,
                    admission_date=row.admission_date,
                    status=self._status(row.admission_date),
                )
                identity.record(member, card_number=row.card_number, birth_date=row.birth_date)
            except ChiboError as refused:
                report.errors.append(_refused(row, refused))
                continue
            changes += [(member, branch.path), (identity, branch.path)]
            registered += 1
        await self._repo.save(changes)
        report.imported += registered

    def _status(self, admission: date) -> MemberStatus:
        return "probationary" if (self._today - admission).days < PROBATION_DAYS else "full"

    async def _current_path(self, code: str) -> list[str] | None:
        """Where the unit sits now: a move above it changes its path, not its stream."""
        if code not in self._paths:
            path = await self._pool.fetchval(_PATH, code)
            self._paths[code] = list(path) if path is not None else None
        return self._paths[code]

    async def _may_register(self, row: MemberRow) -> bool:
        """The boundary's answer for the row's registration (an unknown branch is reported
        as such further on). Its rule reads the branch alone: asked once per branch."""
        code = row.branch_code
        if self._permits is None or await self._current_path(code) is None:
            return True
        if code not in self._permitted:
            command = RegisterMember(
                full_name=row.name,
                branch_id=code,
                admission_date=row.admission_date,
                status=self._status(row.admission_date),
                card_number=row.card_number,
                birth_date=row.birth_date,
            )
            self._permitted[code] = await self._permits(command)
        return self._permitted[code]

    async def _branch(self, code: str) -> OrgUnit | None:
        if code not in self._branches:
            unit = await self._repo.load(OrgUnit, code)
            path = await self._current_path(code)
            if path is not None:
                unit.path = path
            if unit.kind == "grassroots":  # a chi bộ cơ sở while no branch is under it
                unit.sub_units = tuple(await self._directory.children_of(code))
            elif unit.kind == "branch":
                unit.sub_units = ()
            # A đảng bộ cơ sở stays: registering there is refused, naming its branches.
            self._branches[code] = unit if unit.sub_units is not None and unit.active else None
        return self._branches[code]


def _unknown_branch(row: MemberRow) -> RowError:
    return RowError(
        row.line,
        "branch_code",
        f"no active branch {row.branch_code!r}; create it first or correct the code",
        f"không có chi bộ {row.branch_code!r} đang hoạt động; hãy tạo chi bộ hoặc sửa mã",
        {"branch_code": row.branch_code},
    )


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
