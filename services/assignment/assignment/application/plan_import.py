"""Reading a plan's assignments sheet, under the member import's rules: every row is
checked, a bad row is reported in both languages and changes nothing, the good rows are
saved in one append, and running the same sheet again changes nothing
(`handlers/import_plan_assignments.py` runs it).

Columns (Vietnamese or English, accents optional): the member's card number, then any of
the households they follow (ids separated by commas, semicolons or spaces), a household
group, a route, a task. A row for a member whose standing keeps them from duties (exempt,
suspended, away on temporary attendance: `domain/standing.py`) is refused by name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from chibo_kernel.errors import ChiboError

from ..adapters.member_file import MemberFileError, RawRow
from ..domain.area import BranchArea
from ..domain.events import DutyKind
from ..domain.plan import Plan
from ..domain.text import ControlCharacterError, fold_accents

COLUMNS: dict[str, tuple[str, ...]] = {
    "card_number": ("so the dang vien", "so the", "card number"),
    "households": ("ho phu trach", "cac ho", "households"),
    "group": ("nhom ho", "household group", "group"),
    "route": ("tuyen duong", "tuyen", "route"),
    "task": ("nhiem vu", "task"),
}
_SEPARATORS = re.compile(r"[,;\s]+")


def _key(header: str) -> str:
    try:
        folded = fold_accents(header)
    except ControlCharacterError:  # a header nobody typed on purpose names no column
        return ""
    return " ".join(folded.replace("_", " ").replace("-", " ").split())


def sheet_columns(headers: list[str]) -> dict[str, str]:
    """Each column the import reads, by the sheet's own header; a sheet without a card
    number column cannot be read."""
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


def cells_of(raw: RawRow, columns: Mapping[str, str]) -> dict[str, str]:
    return {name: str(raw.get(header, "")).strip() for name, header in columns.items()}


def member_by_card(cards: Mapping[str, str], cells: Mapping[str, str]) -> str:
    """The serving member of the branch the row's card number names."""
    card = cells.get("card_number", "").replace(" ", "")
    member_id = cards.get(card)
    if member_id is None:
        raise ChiboError(
            f"no serving member of this branch has card number {card!r}",
            f"không có đảng viên đang sinh hoạt ở chi bộ với số thẻ {card!r}",
        )
    return member_id


def apply_row(plan: Plan, area: BranchArea, member_id: str, cells: Mapping[str, str]) -> None:
    households = [h for h in _SEPARATORS.split(cells.get("households", "")) if h]
    if households:
        plan.assign(member_id, households, area=area)
    kinds: tuple[DutyKind, ...] = ("group", "route", "task")
    for kind in kinds:
        if cells.get(kind):
            plan.assign_duty(member_id, kind, cells[kind], area=area)
