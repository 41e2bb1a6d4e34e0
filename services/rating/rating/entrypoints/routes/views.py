"""Read routes, each filtered by an organisation subtree and a year (and a quarter where it
means something), each also downloadable as CSV or XLSX with Vietnamese headers: decode the
request into a query, run it through the boundary, encode the answer.

Each asks `read` at the unit it names (a member's scorecard: at the member's branch, the
member role its own only); everything under a unit the caller may read lies inside the
caller's subtree, and what a query counts beyond the unit (a follower's visits) is
limited to that subtree too (`permissions.py`, docs/authorization.md)."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, disclose, reads_personal_data

from ...application import queries as q
from .. import schemas as s
from .cards import figure, scorecard, unit_card
from .columns import FLAG_COLUMNS, ROLLUP_COLUMNS, SCORECARD_COLUMNS, UNIT_COLUMNS
from .params import Format, MemberId, Quarter, UnitPath, Year, download

ROLLUP_LABELS = {
    "members": "Đảng viên",
    "branches": "Chi bộ trực thuộc",
    "organisations": "Tổ chức cơ sở đảng",
    "bon_tot_branches": "Chi bộ bốn tốt (chi bộ trực thuộc và chi bộ cơ sở)",
}


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.get(
        "/members/{member_id}/scorecard/{year}",
        response_model=s.Scorecard,
        dependencies=checked(q.MemberScorecard),
    )
    @reads_personal_data("year_end_rating")
    async def ownscorecard(
        member_id: MemberId, year: Year, quarter: Quarter = None, format: Format = None
    ) -> Any:
        """One member's scorecard for the year or a quarter: their row of the unit's member
        scorecards, read at the branch they belong to at the year's end. The member role
        reads its own only."""
        card = scorecard(await bus.run(q.MemberScorecard(member_id, year)), quarter)
        if format:
            disclose(card)
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
        dependencies=checked(q.BranchCards),
    )
    async def branch_cards(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Branch scorecards (meetings held and missed, quality per meeting against the
        policy, coverage, reports, members' levels, the four "bốn tốt" criteria) and the
        scorecards of the organisations above them."""
        cards = [unit_card(u) for u in await bus.run(q.BranchCards(unit_id, year))]
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

    @api.get(
        "/units/{unit_id}/rollup/{year}",
        response_model=s.Rollup,
        dependencies=checked(q.UnitRollup),
    )
    async def rollup(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Decided levels under the unit, phrased as the seeds phrase them, from the
        prepared ratings (what is stale under the unit is derived first)."""
        found = await bus.run(q.UnitRollup(unit_id, year))
        tally = found.tally
        result = s.Rollup(
            unit_id=unit_id,
            year=year,
            rule_set=found.rule_set,
            members=figure(tally.members.good, tally.members.total),
            branches=figure(tally.branches.good, tally.branches.total),
            organisations=figure(tally.organisations.good, tally.organisations.total),
            bon_tot_branches=figure(tally.bon_tot.good, tally.bon_tot.total),
            undecided_members=tally.undecided_members,
            waiting_units=tally.waiting_units,
        )
        if format:
            rows = [
                {"what": label, **getattr(result, key).model_dump()}
                for key, label in ROLLUP_LABELS.items()
            ]
            return download(rows, ROLLUP_COLUMNS, format, f"Tổng hợp {unit_id} {year}")
        return result

    @api.get(
        "/units/{unit_id}/flags/{year}",
        response_model=list[s.Art8Flag],
        dependencies=checked(q.Art8Flags),
    )
    @reads_personal_data("member_records")
    async def art8(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Charter art. 8: members absent without good reason in three months of the year,
        raised when the third is recorded, cleared when a correction removes one."""
        found = await bus.run(q.Art8Flags(unit_id, year))
        flags = [s.Art8Flag(**dataclasses.asdict(f)) for f in found]
        if format:
            disclose(flags)
            rows = [f.model_dump() for f in flags]
            return download(rows, FLAG_COLUMNS, format, f"Diện xóa tên {unit_id} {year}")
        return flags

    @api.get("/rule-sets/{year}", dependencies=checked(q.RuleSetOfYear))
    async def rule_set(year: Year) -> dict[str, Any]:
        """The rule set in force for a year: published rules, any signed-in role reads."""
        found = await bus.run(q.RuleSetOfYear(year))
        chosen = found.rules
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
            "charter": dataclasses.asdict(found.charter),
        }
