"""Branch scorecards (meetings held and missed, quality per meeting against the policy,
coverage, reports, members' levels, the four "bốn tốt" criteria) and the scorecards of the
organisations above them, assessed from the facts when asked."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.domain import Message

from ..deps import Deps
from .assessments import UnitAssessment, assess_subtree


@dataclass(frozen=True)
class BranchCards(Message[list[UnitAssessment]]):
    unit_id: str
    year: int


async def handle(query: BranchCards, deps: Deps) -> list[UnitAssessment]:
    async with deps.facts() as conn:
        _, units = await assess_subtree(conn, query.unit_id, query.year, deps.rules)
    return list(units.values())
