"""Read routes, each filtered by an organisation subtree and a year (and a quarter where it
means something), each also downloadable as CSV or XLSX with Vietnamese headers.

Each asks `read` at the unit it names (a member's scorecard: at the member's branch, the
member role its own only); everything under a unit the caller may read lies inside the
caller's subtree, and what a query counts beyond the unit (a follower's visits) is
limited to that subtree too (docs/authorization.md)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter

from chibo_kernel.auth import Permission
from chibo_kernel.errors import NotFound
from chibo_kernel.http import guard
from chibo_kernel.pool import LeanPool

from ...application.assessments import (
    MemberAssessment,
    UnitAssessment,
    assess_members,
    assess_subtree,
)
from ...application.evidence_query import facts, member_evidence
from ...application.prepared import Prepared
from ...application.read_models import ReadModels
from ...domain.rule_book import RuleBook
from .. import schemas as s
from .cards import figure, scorecard, unit_card
from .columns import FLAG_COLUMNS, ROLLUP_COLUMNS, SCORECARD_COLUMNS, UNIT_COLUMNS
from .params import Format, MemberId, Quarter, UnitPath, Year, download
from .places import Places

BRANCH_AT_YEAR_END_SQL = """
SELECT branch_id FROM member_periods
 WHERE member_id = $1 AND from_date <= $2 AND (to_date IS NULL OR to_date >= $2)
 ORDER BY from_date DESC LIMIT 1
"""


def add_routes(
    api: APIRouter,
    pool: Callable[[], LeanPool],
    read_models: ReadModels,
    rules: RuleBook,
    places: Places,
) -> None:
    read_unit = guard(Permission.READ, places.unit)
    prepared = Prepared(pool, rules)
    read_own = guard(Permission.READ, places.member_branch, member_param="member_id")

    async def assess(
        unit_id: str, year: int
    ) -> tuple[list[MemberAssessment], dict[str, UnitAssessment]]:
        async with facts(pool(), read_models.active_schema) as conn:
            return await assess_subtree(conn, unit_id, year, rules)

    @api.get(
        "/members/{member_id}/scorecard/{year}",
        response_model=s.Scorecard,
        dependencies=[read_own],
    )
    async def ownscorecard(
        member_id: MemberId, year: Year, quarter: Quarter = None, format: Format = None
    ) -> Any:
        """One member's scorecard for the year or a quarter: their row of the unit's member
        scorecards, read at the branch they belong to at the year's end. The member role
        reads its own only."""
        async with facts(pool(), read_models.active_schema) as conn:
            branch = await conn.fetchval(BRANCH_AT_YEAR_END_SQL, member_id, date(year, 12, 31))
            found = [] if branch is None else await member_evidence(conn, branch, year)
        mine = [e for e in found if e.member_id == member_id]
        if not mine:
            raise NotFound(
                f"a scorecard of {member_id} for {year} (not in a branch at the year's end)",
                f"bảng đánh giá của {member_id} năm {year} (không sinh hoạt tại chi bộ nào "
                "vào cuối năm)",
            )
        assessed = assess_members(mine, rules.for_year(year), rules)
        (card,) = [scorecard(m, quarter) for m in assessed]
        if format:
            return download(
                [card.model_dump()],
                SCORECARD_COLUMNS,
                format,
                f"Bảng đánh giá đảng viên {member_id} {year}",
            )
        return card

    @api.get(
        "/units/{unit_id}/branches/{year}",
        response_model=list[s.UnitCard],
        dependencies=[read_unit],
    )
    async def branch_cards(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Branch scorecards (meetings held and missed, quality per meeting against the
        policy, coverage, reports, members' levels, the four "bốn tốt" criteria) and the
        scorecards of the organisations above them."""
        _, units = await assess(unit_id, year)
        cards = [unit_card(u) for u in units.values()]
        if format:
            rows = [
                {
                    **c.model_dump(),
                    **c.metrics,
                    "bon_tot": sum(c.bon_tot.values()) if c.bon_tot else None,
                }
                for c in cards
            ]
            return download(
                rows, UNIT_COLUMNS, format, f"Bảng đánh giá tổ chức đảng {unit_id} {year}"
            )
        return cards

    @api.get("/units/{unit_id}/rollup/{year}", response_model=s.Rollup, dependencies=[read_unit])
    async def rollup(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Decided levels under the unit, phrased as the seeds phrase them, from the
        prepared ratings (what is stale under the unit is derived first)."""
        rules.for_year(year)  # no rule set for the year: 404 before any work
        await prepared.settle(read_models.active_schema, unit_id, year)
        async with facts(pool(), read_models.active_schema) as conn:
            tally = await prepared.tally(conn, unit_id, year)
        result = s.Rollup(
            unit_id=unit_id,
            year=year,
            rule_set=rules.for_year(year).id,
            members=figure(tally.members.good, tally.members.total),
            branches=figure(tally.branches.good, tally.branches.total),
            organisations=figure(tally.organisations.good, tally.organisations.total),
            bon_tot_branches=figure(tally.bon_tot.good, tally.bon_tot.total),
            undecided_members=tally.undecided_members,
            waiting_units=tally.waiting_units,
        )
        if format:
            labels = {
                "members": "Đảng viên",
                "branches": "Chi bộ trực thuộc",
                "organisations": "Tổ chức cơ sở đảng",
                "bon_tot_branches": "Chi bộ bốn tốt (chi bộ trực thuộc và chi bộ cơ sở)",
            }
            rows = [
                {"what": label, **getattr(result, key).model_dump()}
                for key, label in labels.items()
            ]
            return download(rows, ROLLUP_COLUMNS, format, f"Tổng hợp {unit_id} {year}")
        return result

    @api.get(
        "/units/{unit_id}/flags/{year}", response_model=list[s.Art8Flag], dependencies=[read_unit]
    )
    async def art8(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Charter art. 8: members absent without good reason in three months of the year,
        raised when the third is recorded, cleared when a correction removes one."""
        rules.for_year(year)
        await prepared.settle(read_models.active_schema, unit_id, year)
        async with facts(pool(), read_models.active_schema) as conn:
            found = await prepared.flags(conn, unit_id, year)
        flags = [s.Art8Flag(**dataclasses.asdict(f)) for f in found]
        if format:
            rows = [f.model_dump() for f in flags]
            return download(rows, FLAG_COLUMNS, format, f"Diện xóa tên {unit_id} {year}")
        return flags

    @api.get("/rule-sets/{year}", dependencies=[guard(Permission.READ_POLICY)])
    async def rule_set(year: Year) -> dict[str, Any]:
        """The rule set in force for a year: published rules, any signed-in role reads."""
        chosen = rules.for_year(year)
        return {
            "id": chosen.id,
            "title": chosen.title,
            "from_year": chosen.from_year,
            "to_year": chosen.to_year,
            "member": dataclasses.asdict(chosen.member),
            "collective": dataclasses.asdict(chosen.collective),
            "quota": dataclasses.asdict(chosen.quota),
            "meeting_quality": dataclasses.asdict(chosen.meeting_quality),
            "bon_tot": dataclasses.asdict(chosen.bon_tot) if chosen.bon_tot else None,
            "charter": dataclasses.asdict(rules.charter),
        }
