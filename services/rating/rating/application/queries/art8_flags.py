"""Charter art. 8: members absent without good reason in three months of the year, raised
when the third is recorded, cleared when a correction removes one; from the prepared
ratings, what is stale under the unit derived first."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.domain import Message

from ..deps import Deps
from .prepared import Flag, Prepared


@dataclass(frozen=True)
class Art8Flags(Message[list[Flag]]):
    unit_id: str
    year: int


async def handle(query: Art8Flags, deps: Deps) -> list[Flag]:
    deps.rules.for_year(query.year)
    prepared = Prepared(deps.pool, deps.rules)
    await prepared.settle(deps.schema, query.unit_id, query.year)
    async with deps.facts() as conn:
        return await prepared.flags(conn, query.unit_id, query.year)
