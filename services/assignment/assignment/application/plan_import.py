"""A plan's assignments from a spreadsheet, under the member import's rules: every row is
checked, a bad row is reported in both languages and changes nothing, the good rows are
saved in one append, and running the same sheet again changes nothing.

Columns (Vietnamese or English, accents optional): the member's card number, then any of
the households they follow (ids separated by commas, semicolons or spaces), a household
group, a route, a task. A row for a member whose standing keeps them from duties (exempt,
suspended, away on temporary attendance: `domain/standing.py`) is refused by name.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from chibo_kernel.errors import ChiboError
from chibo_kernel.pool import LeanPool

from ..adapters.member_file import MemberFileError, read_sheet
from ..domain.area import BranchArea
from ..domain.events import DutyKind
from ..domain.member import Member
from ..domain.member_rows import RowError
from ..domain.plan import Plan, plan_id
from ..domain.standing import require_free_for_duties
from ..domain.text import ControlCharacterError, fold_accents
from .loading import Loader

COLUMNS: dict[str, tuple[str, ...]] = {
    "card_number": ("so the dang vien", "so the", "card number"),
    "households": ("ho phu trach", "cac ho", "households"),
    "group": ("nhom ho", "household group", "group"),
    "route": ("tuyen duong", "tuyen", "route"),
    "task": ("nhiem vu", "task"),
}
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass
class PlanImportReport:
    rows: int = 0
    assigned: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _key(header: str) -> str:
    try:
        folded = fold_accents(header)
    except ControlCharacterError:  # a header nobody typed on purpose names no column
        return ""
    return " ".join(folded.replace("_", " ").replace("-", " ").split())


def _columns(headers: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in headers:
        for canonical, aliases in COLUMNS.items():
            if _key(header) in (*aliases, canonical.replace("_", " ")):
                found.setdefault(canonical, header)
    if "card_number" not in found:
        raise MemberFileError(
            "the sheet needs a card number column (Số thẻ đảng viên)",
            "bảng cần cột số thẻ đảng viên",
        )
    return found


class PlanImport(Loader):
    async def import_plan_assignments(
        self, pool: LeanPool, branch_id: str, year: int, path: Path, *, today: date
    ) -> PlanImportReport:
        rows = await asyncio.to_thread(lambda: list(read_sheet(path)))
        report = PlanImportReport(rows=len(rows))
        if not rows:
            return report
        columns = _columns(list(rows[0][1]))
        branch_path = await self.path(branch_id)
        plan = await self.repo.load(Plan, plan_id(branch_id, year))
        area = await self.repo.load(BranchArea, branch_id)
        cards = {
            r["card_number"]: r["member_id"]
            for r in await pool.fetch(
                "SELECT c.card_number, m.member_id FROM member_cards c JOIN members m"
                " USING (member_id) WHERE m.branch_id = $1 AND m.left_on IS NULL",
                branch_id,
            )
        }
        members: dict[str, Member] = {}
        for line, raw in rows:
            cells = {name: str(raw.get(header, "")).strip() for name, header in columns.items()}
            before = len(plan.pending)
            try:
                member_id = _member_id(cards, cells)
                if member_id not in members:
                    members[member_id] = await self.member(member_id)
                require_free_for_duties(members[member_id], year=year, today=today)
                _apply_row(plan, area, member_id, cells)
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
        await self.repo.save([(plan, branch_path)])
        return report


def _member_id(cards: Mapping[str, str], cells: Mapping[str, str]) -> str:
    card = cells.get("card_number", "").replace(" ", "")
    member_id = cards.get(card)
    if member_id is None:
        raise ChiboError(
            f"no serving member of this branch has card number {card!r}",
            f"không có đảng viên đang sinh hoạt ở chi bộ với số thẻ {card!r}",
        )
    return member_id


def _apply_row(plan: Plan, area: BranchArea, member_id: str, cells: Mapping[str, str]) -> None:
    households = [h for h in _SEPARATORS.split(cells.get("households", "")) if h]
    if households:
        plan.assign(member_id, households, area=area)
    kinds: tuple[DutyKind, ...] = ("group", "route", "task")
    for kind in kinds:
        if cells.get(kind):
            plan.assign_duty(member_id, kind, cells[kind], area=area)
