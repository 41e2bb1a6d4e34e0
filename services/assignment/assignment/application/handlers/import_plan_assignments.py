"""A plan's assignments from a CSV or XLSX sheet (`application/plan_import.py` reads it):
a bad row is reported and changes nothing, the rest are saved together; the same sheet
again changes nothing. A sheet that cannot be read at all is refused whole."""

from __future__ import annotations

import asyncio
from pathlib import Path

from chibo_kernel.errors import ChiboError

from ...adapters.member_file import MemberFileError, RawRow, read_sheet
from ...adapters.uploads import uploaded
from ...domain.area import BranchArea
from ...domain.commands import ImportPlanAssignments
from ...domain.errors import refuse
from ...domain.imports import PlanImportReport
from ...domain.member import Member
from ...domain.member_rows import RowError
from ...domain.plan import Plan, plan_id
from ...domain.standing import require_free_for_duties
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
    for line, raw in rows:
        cells = cells_of(raw, columns)
        before = len(plan.pending)
        try:
            member_id = member_by_card(cards, cells)
            if member_id not in members:
                members[member_id] = await load.member(member_id)
            require_free_for_duties(members[member_id], year=year, today=today)
            apply_row(plan, area, member_id, cells)
        except ChiboError as refused:
            plan = plan.rolled_back(before)  # this row alone changes nothing
            report.errors.append(
                RowError(line, "row", refused.message_en, refused.message_vi, cells)
            )
            continue
        if len(plan.pending) > before:
            report.assigned += 1
        else:
            report.unchanged += 1
    await load.repo.save([(plan, branch_path)])
    return report
