"""What the service proposes under a unit, never a decision: for a branch its members,
assessed on request; for a higher unit the units directly under it, from the prepared
ratings once what is stale under it is derived. Apart from the other read routes
(`views.py`): these are what the decision commands act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from chibo_kernel.auth import Permission
from chibo_kernel.http import guard
from chibo_kernel.pool import LeanPool

from ...application.assessments import CELL_KINDS, UNIT_ROWS_SQL, assess_subtree, unit_kind
from ...application.evidence_query import facts
from ...application.prepared import Prepared
from ...application.read_models import ReadModels
from ...domain.rule_book import RuleBook
from .. import schemas as s
from .columns import PROPOSAL_COLUMNS
from .params import Format, UnitPath, Year, download
from .places import Places

UNIT_SQL = UNIT_ROWS_SQL.replace("unit_id = ANY ($1::text[])", "unit_id = $1")


def add_routes(
    api: APIRouter,
    pool: Callable[[], LeanPool],
    read_models: ReadModels,
    rules: RuleBook,
    places: Places,
) -> None:
    read_unit = guard(Permission.READ, places.unit)
    prepared = Prepared(pool, rules)

    @api.get(
        "/units/{unit_id}/proposals/{year}", response_model=s.Proposals, dependencies=[read_unit]
    )
    async def proposals(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """What the service proposes: for a branch, its members; for a higher unit, the units
        directly under it. A proposal is never a decision."""
        found = await _proposals(unit_id, year)
        if format:
            rows = [p.model_dump() for p in found.proposals]
            return download(rows, PROPOSAL_COLUMNS, format, f"Đề xuất xếp loại {unit_id} {year}")
        return found

    async def _proposals(unit_id: str, year: int) -> s.Proposals:
        rule_set = rules.for_year(year).id
        async with facts(pool(), read_models.active_schema) as conn:
            unit = await conn.fetchrow(UNIT_SQL, unit_id)
        if unit is not None and unit_kind(unit) in CELL_KINDS:
            async with facts(pool(), read_models.active_schema) as conn:
                members, _ = await assess_subtree(conn, unit_id, year, rules)
            found = [
                s.ProposalView(
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
            return s.Proposals(
                unit_id=unit_id, year=year, rule_set=rule_set, subject="member", proposals=found
            )
        waiting = await prepared.settle(read_models.active_schema, unit_id, year)
        async with facts(pool(), read_models.active_schema) as conn:
            below = await prepared.below(conn, unit_id, year) if unit is not None else []
        return s.Proposals(
            unit_id=unit_id,
            year=year,
            rule_set=rule_set,
            subject="unit",
            proposals=[
                s.ProposalView(
                    subject_id=u["unit_id"],
                    name=u["name"],
                    level=u["level"],
                    score=u["score"],
                    reasons=list(u["reasons"]),
                    decided=u["decided"],
                    excluded=[],
                )
                for u in below
            ],
            waiting_units=waiting,
        )
