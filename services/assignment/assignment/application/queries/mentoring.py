"""Who guides whom in a year's plan, and the probationary members nobody guides yet."""

from __future__ import annotations

from dataclasses import dataclass

from chibo_kernel.domain import Message

from ...domain.plan import plan_id
from .reads import Reads


@dataclass(frozen=True)
class Mentoring(Message[dict[str, object]]):
    branch_id: str
    year: int


async def handle(query: Mentoring, reads: Reads) -> dict[str, object]:
    pool = reads.pool()
    pid = plan_id(query.branch_id, query.year)
    rows = await pool.fetch(
        "SELECT mentor_id, array_agg(member_id ORDER BY member_id) AS member_ids"
        " FROM plan_mentors WHERE plan_id = $1 GROUP BY mentor_id ORDER BY mentor_id",
        pid,
    )
    unguided = await pool.fetch(
        "SELECT member_id FROM members m WHERE branch_id = $1 AND status = 'probationary'"
        " AND left_on IS NULL AND NOT EXISTS (SELECT 1 FROM plan_mentors p"
        " WHERE p.plan_id = $2 AND p.member_id = m.member_id) ORDER BY member_id",
        query.branch_id,
        pid,
    )
    return {
        "mentors": [dict(r) for r in rows],
        "probationary_without_mentor": [r["member_id"] for r in unguided],
    }
