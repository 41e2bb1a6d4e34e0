"""Decided levels under a unit, from the prepared ratings (what is stale under the unit is
derived first)."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.domain import Message

from ..deps import Deps
from .prepared import Prepared, Tally


@dataclass(frozen=True)
class RollupFigures:
    rule_set: str  # the id of the year's rule set
    tally: Tally


@dataclass(frozen=True)
class UnitRollup(Message[RollupFigures]):
    unit_id: str
    year: int


async def handle(query: UnitRollup, deps: Deps) -> RollupFigures:
    rules = deps.rules.for_year(query.year)  # no rule set for the year: 404 before any work
    prepared = Prepared(deps.pool, deps.rules)
    await prepared.settle(deps.schema, query.unit_id, query.year)
    async with deps.facts() as conn:
        tally = await prepared.tally(conn, query.unit_id, query.year)
    return RollupFigures(rules.id, tally)
