"""What the service proposes under a unit, never a decision (for a branch its members, for a
higher unit the units directly under it). Apart from the other read routes (`views.py`):
these are what the decision commands act on."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, disclose, reads_personal_data

from ...application import queries as q
from .. import schemas as s
from .columns import PROPOSAL_COLUMNS
from .params import Format, UnitPath, Year, download


def _members_proposed(found: s.Proposals) -> list[str]:
    """A branch's proposals are its members'; a higher unit's are the units under it."""
    return [p.subject_id for p in found.proposals] if found.subject == "member" else []


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    @api.get(
        "/units/{unit_id}/proposals/{year}",
        response_model=s.Proposals,
        dependencies=[authorised(bus, q.UnitProposals)],
    )
    @reads_personal_data("year_end_rating", subjects=_members_proposed)
    async def proposals(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """What the service proposes: for a branch, its members; for a higher unit, the units
        directly under it. A proposal is never a decision."""
        answer = await bus.run(q.UnitProposals(unit_id, year))
        found = s.Proposals(
            unit_id=unit_id,
            year=year,
            rule_set=answer.rule_set,
            subject=answer.subject,
            proposals=[s.ProposalView(**dataclasses.asdict(p)) for p in answer.proposals],
            waiting_units=answer.waiting_units,
        )
        if format:
            disclose(found)
            rows = [p.model_dump() for p in found.proposals]
            return download(rows, PROPOSAL_COLUMNS, format, f"Đề xuất xếp loại {unit_id} {year}")
        return found
