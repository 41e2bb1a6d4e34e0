"""One member's year: their row of their branch's member scorecards, read at the branch they
belong to at the year's end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message
from chibo_kernel.errors import NotFound

from ..deps import Deps
from .assessments import assess_members
from .evidence import member_evidence
from .member_assessment import MemberAssessment

BRANCH_AT_YEAR_END_SQL = """
SELECT branch_id FROM member_periods
 WHERE member_id = $1 AND from_date <= $2 AND (to_date IS NULL OR to_date >= $2)
 ORDER BY from_date DESC LIMIT 1
"""


@dataclass(frozen=True)
class MemberScorecard(Message[MemberAssessment]):
    member_id: str
    year: int


async def handle(query: MemberScorecard, deps: Deps) -> MemberAssessment:
    member_id, year = query.member_id, query.year
    async with deps.facts() as conn:
        branch = await conn.fetchval(BRANCH_AT_YEAR_END_SQL, member_id, date(year, 12, 31))
        found = [] if branch is None else await member_evidence(conn, branch, year)
    mine = [e for e in found if e.member_id == member_id]
    if not mine:
        raise NotFound(
            f"a scorecard of {member_id} for {year} (not in a branch at the year's end)",
            f"bảng đánh giá của {member_id} năm {year} (không sinh hoạt tại chi bộ nào "
            "vào cuối năm)",
        )
    (assessed,) = assess_members(mine, deps.rules.for_year(year), deps.rules)
    return assessed
