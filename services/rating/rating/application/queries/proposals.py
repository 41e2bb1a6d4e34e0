"""What the service proposes under a unit, never a decision: for a branch its members,
assessed on request; for a higher unit the units directly under it, from the prepared
ratings once what is stale under it is derived. These are what the decision commands act
on."""

from __future__ import annotations

from dataclasses import dataclass, field

from chibo_contracts.rating import Level
from chibo_kernel.domain import Message

from ..deps import Deps
from .assessments import CELL_KINDS, UNIT_ROWS_SQL, assess_subtree, unit_kind
from .prepared import Prepared
from .rows import fetch_units

UNIT_SQL = UNIT_ROWS_SQL.replace("unit_id = ANY ($1::text[])", "unit_id = $1")


@dataclass(frozen=True)
class Proposal:
    subject_id: str
    name: str
    level: Level | None
    score: float | None
    reasons: list[str]
    decided: str | None
    excluded: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ProposalList:
    rule_set: str
    subject: str  # member: a branch's members; unit: the units directly under the unit
    proposals: list[Proposal]
    waiting_units: int = 0  # as in the roll-up


@dataclass(frozen=True)
class UnitProposals(Message[ProposalList]):
    unit_id: str
    year: int


async def handle(query: UnitProposals, deps: Deps) -> ProposalList:
    unit_id, year = query.unit_id, query.year
    rule_set = deps.rules.for_year(year).id
    async with deps.facts() as conn:
        unit = next(iter(await fetch_units(conn, UNIT_SQL, unit_id)), None)
    if unit is not None and unit_kind(unit) in CELL_KINDS:
        async with deps.facts() as conn:
            members, _ = await assess_subtree(conn, unit_id, year, deps.rules)
        found = [
            Proposal(
                subject_id=m.evidence.member_id,
                name=m.evidence.full_name,
                level=m.proposal.level,
                score=m.proposal.score,
                reasons=m.reasons,
                decided=m.evidence.decided,
                excluded=m.excluded,
            )
            for m in members
            if m.evidence.branch_id == unit_id
        ]
        return ProposalList(rule_set, "member", found)
    prepared = Prepared(deps.pool, deps.rules)
    waiting = await prepared.settle(deps.schema, unit_id, year)
    async with deps.facts() as conn:
        below = await prepared.below(conn, unit_id, year) if unit is not None else []
    units = [
        Proposal(
            subject_id=u.unit_id,
            name=u.name,
            level=u.level,
            score=u.score,
            reasons=u.reasons,
            decided=u.decided,
        )
        for u in below
    ]
    return ProposalList(rule_set, "unit", units, waiting)
