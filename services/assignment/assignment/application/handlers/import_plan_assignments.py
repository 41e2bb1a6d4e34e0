"""A plan's assignments from a CSV or XLSX sheet (`application/plan_import.py` reads it),
taken whole: every row is checked, and a sheet with any bad row is refused with each bad
row named (`SheetRefused`, 422), saving nothing; otherwise the rows are saved together.
The same sheet again changes nothing. A sheet that cannot be read at all is refused too."""

from __future__ import annotations

import asyncio
from pathlib import Path

from chibo_kernel.errors import ChiboError
from chibo_kernel.keyring import ERASED_VI

from ...adapters.member_file import MemberFileError, RawRow, read_sheet
from ...adapters.uploads import uploaded
from ...domain.area import BranchArea
from ...domain.commands import ImportPlanAssignments
from ...domain.errors import TakenByOthers, refuse
from ...domain.imports import PlanImportReport, RefusedRow, SheetRefused
from ...domain.member import Member
from ...domain.plan import Plan, plan_id
from ..loading import Loader
from ..plan_import import apply_row, cells_of, member_by_card, sheet_columns


async def handle(command: ImportPlanAssignments, load: Loader) -> PlanImportReport:
    try:
        return await _run(command, load)
    except MemberFileError as refused:
        raise refuse("unreadable_sheet", refused.message_en, refused.message_vi) from None


async def _run(command: ImportPlanAssignments, load: Loader) -> PlanImportReport:
    suffix = Path(command.filename).suffix.lower()
    async with uploaded(command.content, f"plan{suffix}", prefix="chibo-plan-") as sheet:
        rows: list[tuple[int, RawRow]] = await asyncio.to_thread(lambda: list(read_sheet(sheet)))
    report = PlanImportReport(rows=len(rows))
    if not rows:
        return report
    columns = sheet_columns(list(rows[0][1]))
    branch_id, year, today = command.branch_id, command.year, command.today
    branch_path = await load.path(branch_id)
    plan = await load.repo.load(Plan, plan_id(branch_id, year))
    area = await load.repo.load(BranchArea, branch_id)
    cards = await load.directory.cards_of(branch_id)
    members: dict[str, Member] = {}
    refused_rows: list[RefusedRow] = []
    for line, raw in rows:
        cells = cells_of(raw, columns)
        before = len(plan.pending)
        full_name: str | None = None
        try:
            member_id = member_by_card(cards, cells)
            if member_id not in members:
                members[member_id] = await load.member(member_id)
            full_name = members[member_id].full_name or ERASED_VI
            await load.free_for_duties(members[member_id], year=year, today=today)
            try:
                apply_row(plan, area, member_id, cells)
            except TakenByOthers as taken:
                raise await load.named(taken) from None
        except ChiboError as refused:
            # The row changes nothing, and later rows are checked as if it were not there.
            plan = plan.rolled_back(before)
            refused_rows.append(RefusedRow(line, full_name, refused.message_en, refused.message_vi))
            continue
        if len(plan.pending) > before:
            report.assigned += 1
        else:
            report.unchanged += 1
    if refused_rows:
        raise SheetRefused(refused_rows)
    await load.repo.save([(plan, branch_path)])
    return report
