"""Read routes, each filtered by an organisation subtree and a year (and a quarter where it
means something), each also downloadable as CSV or XLSX with Vietnamese headers.

Each asks `read` at the unit it names (a member's scorecard: at the member's branch, the
member role its own only); everything under a unit the caller may read lies inside the
caller's subtree, and what a query counts beyond the unit (a follower's visits) is
limited to that subtree too (docs/authorization.md)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter

from chibo_kernel.auth import Permission, current_principal
from chibo_kernel.errors import NotFound
from chibo_kernel.export import Column
from chibo_kernel.http import guard
from chibo_kernel.pool import LeanPool

from ...application.assessments import (
    MemberAssessment,
    UnitAssessment,
    assess_members,
    assess_subtree,
)
from ...application.evidence_query import facts, member_evidence
from ...application.read_models import ReadModels
from ...application.scorecard import Tally
from ...domain.member_rating import GOOD_OR_BETTER
from ...domain.rule_book import RuleBook
from .. import schemas as s
from .params import Format, MemberId, Quarter, UnitPath, Year, download
from .places import Places

SCORECARD_COLUMNS = [
    Column("member_id", "Mã đảng viên"),
    Column("full_name", "Họ và tên"),
    Column("branch_id", "Chi bộ"),
    Column("quarter", "Quý"),
    Column("assigned", "Được phân công"),
    Column("assigned_months", "Các tháng được phân công"),
    Column("reports_expected", "Báo cáo phải nộp"),
    Column("reports_submitted", "Báo cáo đã nộp"),
    Column("reports_on_time", "Báo cáo đúng hạn"),
    Column("reviews_good", "Nhận xét tốt"),
    Column("reviews_fair", "Nhận xét khá"),
    Column("reviews_weak", "Nhận xét yếu"),
    Column("problems_raised", "Vấn đề phát sinh"),
    Column("problems_resolved", "Vấn đề đã giải quyết"),
    Column("meetings_expected", "Buổi sinh hoạt phải dự"),
    Column("meetings_present", "Có mặt"),
    Column("meetings_excused", "Vắng có lý do"),
    Column("meetings_unexcused", "Vắng không lý do"),
    Column("unexcused_months", "Các tháng vắng không lý do"),
    Column("art8_flag", "Diện xóa tên (Điều 8)"),
    Column("excluded", "Không đánh giá vì"),
    Column("score", "Điểm"),
    Column("proposed_level", "Mức đề xuất"),
    Column("reasons", "Căn cứ"),
    Column("decided_level", "Mức quyết định"),
]
UNIT_COLUMNS = [
    Column("unit_id", "Mã đơn vị"),
    Column("name", "Tên đơn vị"),
    Column("kind", "Loại"),
    Column("regular_meetings_held", "Số buổi sinh hoạt thường kỳ"),
    Column("months_missed", "Tháng không sinh hoạt"),
    Column("quality_meeting_ratio", "Tỷ lệ buổi sinh hoạt đạt chất lượng"),
    Column("coverage", "Tỷ lệ đảng viên được phân công"),
    Column("report_compliance", "Tỷ lệ báo cáo"),
    Column("members_good_ratio", "Tỷ lệ đảng viên hoàn thành tốt trở lên"),
    Column("bon_tot", "Số tiêu chí Bốn tốt đạt"),
    Column("proposed_level", "Mức đề xuất"),
    Column("decided_level", "Mức quyết định"),
]
ROLLUP_COLUMNS = [
    Column("what", "Nội dung"),
    Column("good_or_better", "Hoàn thành tốt trở lên"),
    Column("total", "Tổng số"),
    Column("text", "Kết quả"),
]
PROPOSAL_COLUMNS = [
    Column("subject_id", "Mã"),
    Column("name", "Tên"),
    Column("level", "Mức đề xuất"),
    Column("score", "Điểm"),
    Column("reasons", "Căn cứ"),
    Column("decided", "Mức quyết định"),
    Column("excluded", "Không đánh giá vì"),
]
FLAG_COLUMNS = [
    Column("member_id", "Mã đảng viên"),
    Column("full_name", "Họ và tên"),
    Column("branch_id", "Chi bộ"),
    Column("months", "Các tháng bỏ sinh hoạt không lý do"),
    Column("procedure", "Thủ tục xóa tên"),
]
FOLLOWER_COLUMNS = [
    Column("follower_id", "Cấp ủy viên"),
    Column("level", "Cấp"),
    Column("units", "Đơn vị theo dõi"),
    Column("visits", "Số lần dự sinh hoạt"),
    Column("outside_assignment", "Ngoài địa bàn phụ trách"),
    Column("quota", "Định mức"),
    Column("quota_valid_from", "Định mức áp dụng từ"),
    Column("met", "Đạt định mức"),
]


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
    read_own = guard(Permission.READ, places.member_branch, member_param="member_id")

    async def assess(
        unit_id: str, year: int
    ) -> tuple[list[MemberAssessment], dict[str, UnitAssessment]]:
        async with facts(pool(), read_models.active_schema) as conn:
            return await assess_subtree(conn, unit_id, year, rules)

    @api.get(
        "/units/{unit_id}/members/{year}",
        response_model=list[s.Scorecard],
        dependencies=[read_unit],
    )
    async def scorecards(
        unit_id: UnitPath, year: Year, quarter: Quarter = None, format: Format = None
    ) -> Any:
        """Member scorecards of every member under the unit, for the year or a quarter."""
        members, _ = await assess(unit_id, year)
        cards = [_scorecard(m, quarter) for m in members]
        if format:
            rows = [c.model_dump() for c in cards]
            return download(
                rows, SCORECARD_COLUMNS, format, f"Bảng đánh giá đảng viên {unit_id} {year}"
            )
        return cards

    @api.get(
        "/members/{member_id}/scorecard/{year}",
        response_model=s.Scorecard,
        dependencies=[read_own],
    )
    async def own_scorecard(
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
        (card,) = [_scorecard(m, quarter) for m in assessed]
        if format:
            return download(
                [card.model_dump()],
                SCORECARD_COLUMNS,
                format,
                f"Bảng đánh giá đảng viên {member_id} {year}",
            )
        return card

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
        members, units = await assess(unit_id, year)
        unit = units.get(unit_id)
        rule_set = rules.for_year(year).id
        if unit is not None and unit.kind in ("branch", "grassroots_cell"):
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
        below = [
            u
            for u in units.values()
            if unit is not None and u.path[:-1] == unit.path and u.proposal is not None
        ]
        found = [
            s.ProposalView(
                subject_id=u.unit_id,
                name=u.name,
                level=u.proposal.level if u.proposal else None,
                score=u.proposal.score if u.proposal else None,
                reasons=u.proposal.texts if u.proposal else [],
                decided=u.decided,
                excluded=[],
            )
            for u in below
        ]
        return s.Proposals(
            unit_id=unit_id, year=year, rule_set=rule_set, subject="unit", proposals=found
        )

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
        cards = [_unit_card(u) for u in units.values()]
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
        """Decided levels under the unit, phrased as the seeds phrase them."""
        members, units = await assess(unit_id, year)
        decided_members = [m.evidence.decided for m in members if m.evidence.decided]
        branches = [u for u in units.values() if u.kind == "branch"]
        organisations = [u for u in units.values() if u.kind in ("grassroots", "grassroots_cell")]
        cells = [u for u in units.values() if u.branch is not None and u.branch.bon_tot]
        result = s.Rollup(
            unit_id=unit_id,
            year=year,
            rule_set=rules.for_year(year).id,
            members=_figure(
                sum(1 for d in decided_members if d in GOOD_OR_BETTER), len(decided_members)
            ),
            branches=_figure(*_decided_good(branches)),
            organisations=_figure(*_decided_good(organisations)),
            bon_tot_branches=_figure(
                sum(1 for u in cells if u.branch and u.branch.bon_tot and u.branch.bon_tot.title),
                len(cells),
            ),
            undecided_members=sum(1 for m in members if m.rated and not m.evidence.decided),
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
        "/units/{unit_id}/following/{year}",
        response_model=list[s.FollowerLine],
        dependencies=[read_unit],
    )
    async def following(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Higher committee members following units under this one: branch meetings attended
        against the quota that was valid for their level in that year. Only meetings of
        branches inside the caller's subtree are counted."""
        principal = current_principal()
        scope = list(principal.scope) if principal else []
        async with facts(pool(), read_models.active_schema) as conn:
            rows = await conn.fetch(FOLLOWING_SQL, unit_id, year, date(year, 12, 31), scope)
        lines = [
            s.FollowerLine(**dict(r), met=None if r["quota"] is None else r["visits"] >= r["quota"])
            for r in rows
        ]
        if format:
            return download(
                [line.model_dump() for line in lines],
                FOLLOWER_COLUMNS,
                format,
                f"Dự sinh hoạt {unit_id} {year}",
            )
        return lines

    @api.get(
        "/units/{unit_id}/flags/{year}", response_model=list[s.Art8Flag], dependencies=[read_unit]
    )
    async def art8(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Charter art. 8: members absent without good reason in three months of the year,
        raised when the third is recorded, cleared when a correction removes one."""
        members, _ = await assess(unit_id, year)
        flags = [
            s.Art8Flag(
                member_id=m.evidence.member_id,
                full_name=m.evidence.full_name,
                branch_id=m.evidence.branch_id,
                months=m.evidence.unexcused_months,
                procedure=m.evidence.removal_procedure or "flagged",
            )
            for m in members
            if m.removal is not None or m.evidence.removal_procedure
        ]
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


FOLLOWING_SQL = """
WITH followers AS (
  SELECT f.follower_id, f.level, array_agg(f.unit_id ORDER BY f.unit_id) AS units,
         min(u.path[1]) AS province
    FROM followings f JOIN units u USING (unit_id)
   WHERE f.year = $2 AND $1 = ANY (u.path)
   GROUP BY f.follower_id, f.level),
-- The year's visits to branches inside the caller's subtree ($4; empty: the province).
visible AS (
  SELECT g.guest_id, g.within_assignment FROM guest_visits g
   WHERE g.guest_id IN (SELECT follower_id FROM followers)
     AND extract(year FROM g.held_on) = $2
     AND (cardinality($4::text[]) = 0
          OR EXISTS (SELECT 1 FROM units b WHERE b.unit_id = g.branch_id
                       AND b.path[1:cardinality($4::text[])] = $4::text[])))
SELECT fo.follower_id, fo.level, fo.units,
       (SELECT count(*) FROM visible g WHERE g.guest_id = fo.follower_id)::int AS visits,
       (SELECT count(*) FROM visible g WHERE g.guest_id = fo.follower_id
          AND NOT g.within_assignment)::int AS outside_assignment,
       q.meetings_per_year AS quota, q.valid_from AS quota_valid_from
  FROM followers fo
  LEFT JOIN LATERAL (SELECT meetings_per_year, valid_from FROM quotas
                      WHERE province_id = fo.province AND level = fo.level AND valid_from <= $3
                      ORDER BY valid_from DESC LIMIT 1) q ON true
 ORDER BY fo.level, fo.follower_id
"""


def _scorecard(m: MemberAssessment, quarter: int | None) -> s.Scorecard:
    e = m.evidence
    tally = e.year if quarter is None else e.quarters.get(quarter, Tally())
    return s.Scorecard(
        member_id=e.member_id,
        full_name=e.full_name,
        branch_id=e.branch_id,
        quarter=quarter,
        assigned=bool(e.assignments),
        assignments=e.assignments,
        assigned_months=[
            month
            for month in e.assigned_months
            if quarter is None or (month - 1) // 3 + 1 == quarter
        ],
        reports_expected=tally.reports_expected,
        reports_submitted=tally.reports_submitted,
        reports_on_time=tally.reports_on_time,
        reviews_good=tally.reviews.get("good", 0),
        reviews_fair=tally.reviews.get("fair", 0),
        reviews_weak=tally.reviews.get("weak", 0),
        problems_raised=tally.problems_raised,
        problems_resolved=tally.problems_resolved,
        meetings_expected=tally.meetings_expected,
        meetings_present=tally.present,
        meetings_excused=tally.excused,
        meetings_unexcused=tally.unexcused,
        unexcused_months=e.unexcused_months,
        art8_flag=m.removal is not None,
        excluded=m.excluded,
        score=m.proposal.score,
        proposed_level=m.proposal.level,
        reasons=m.reasons,
        decided_level=e.decided,
    )


def _unit_card(u: UnitAssessment) -> s.UnitCard:
    branch = u.branch
    title = branch.bon_tot if branch is not None else None
    return s.UnitCard(
        unit_id=u.unit_id,
        name=u.name,
        kind=u.kind,
        path=u.path,
        metrics=branch.metrics if branch else {},
        proposed_level=u.proposal.level if u.proposal else None,
        reasons=u.proposal.texts if u.proposal else [],
        decided_level=u.decided,
        bon_tot=title.held() if title else {},
        bon_tot_title=title.title if title else None,
        months_missed=branch.months_missed if branch else [],
        member_levels=u.levels,
        meetings=branch.meetings if branch else [],
    )


def _decided_good(units: Sequence[Any]) -> tuple[int, int]:
    decided = [u.decided for u in units if u.decided]
    return sum(1 for d in decided if d in GOOD_OR_BETTER), len(decided)


def _figure(good: int, total: int) -> s.Figure:
    share = f" ({good / total:.1%})" if total else ""
    return s.Figure(good_or_better=good, total=total, text=f"{good:,}/{total:,}{share}")
