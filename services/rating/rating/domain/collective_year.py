"""What the records hold about a collective's year (a branch, a chi bộ cơ sở or a grassroots
organisation): the levels of what it contains and the people's inputs about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from chibo_contracts.rating import Level

from .member_year import TaskRecord

CollectiveKind = Literal["branch", "grassroots_cell", "grassroots"]
GOOD_OR_BETTER: frozenset[Level] = frozenset({"excellent", "good"})


@dataclass(frozen=True, slots=True)
class CollectiveYear:
    unit_id: str
    name: str
    kind: CollectiveKind
    year: int
    # The levels of its members (a branch or chi bộ cơ sở) or sub-units (an organisation):
    # decided where decided, else proposed; None where nothing can be proposed yet.
    member_levels: tuple[Level | None, ...] = ()
    sub_unit_levels: tuple[Level | None, ...] = ()
    leaders_disciplined: int = 0
    sub_units_disciplined: int = 0
    disciplined: bool = False
    # The collective's own self-assessment and the upper level's appraisal.
    score: float | None = None
    judged: Level | None = None
    tasks: TaskRecord | None = None

    @property
    def has_sub_units(self) -> bool:
        return self.kind == "grassroots"
