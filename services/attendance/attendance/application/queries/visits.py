"""A higher committee member's visits to branch meetings in a year. Visits to branches the
principal may not see are left out, from the counts too, and so are the followed units it
may not see (the rule keeps rows: `rows=True`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message

from ...adapters.meeting_reader import visits_of
from ...adapters.roster_reader import followed_unit_paths
from .reading import Reads


@dataclass(frozen=True)
class Visit:
    meeting_id: str
    branch_id: str
    held_on: date
    level: str
    within_assignment: bool


@dataclass(frozen=True)
class VisitsAnswer:
    follower_id: str
    year: int
    visits: list[Visit]
    total: int
    outside_assignment: int
    followed_units: list[str]


@dataclass(frozen=True)
class FollowerVisits(Message[VisitsAnswer]):
    member_id: str
    year: int


async def handle(query: FollowerVisits, reads: Reads) -> VisitsAnswer:
    member_id, year = query.member_id, query.year
    visible = reads.rows_for(FollowerVisits)
    found = [
        Visit(r.meeting_id, r.branch_id, r.held_on, r.level, r.within_assignment)
        for r in await visits_of(reads.pool, member_id, year)
        if visible(r.path, member_id)
    ]
    followed = await followed_unit_paths(reads.pool, member_id, year)
    return VisitsAnswer(
        follower_id=member_id,
        year=year,
        visits=found,
        total=len(found),
        outside_assignment=sum(1 for v in found if not v.within_assignment),
        followed_units=sorted(u for u, path in followed.items() if visible(path, member_id)),
    )
