"""The roster of a branch on a day: official and temporary members, each with their
standing (expected, exempt, suspended, away)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message

from ...adapters.roster_reader import roster_on
from ...domain.roster import Roster
from .reading import Reads


@dataclass(frozen=True)
class BranchRoster(Message[Roster]):
    branch_id: str
    on: date


async def handle(query: BranchRoster, reads: Reads) -> Roster:
    return await roster_on(reads.pool, query.branch_id, query.on)
