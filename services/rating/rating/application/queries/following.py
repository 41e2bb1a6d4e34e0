"""Higher committee members following units under a unit: branch meetings attended against
the quota valid for their level that year. Only meetings of branches the caller may read
are counted (the rule keeps the rows the caller may see: `rows=True`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chibo_kernel.domain import Message

from ..deps import Deps

FOLLOWERS_SQL = """
WITH followers AS (
  SELECT f.follower_id, f.level, array_agg(f.unit_id ORDER BY f.unit_id) AS units,
         min(u.path[1]) AS province
    FROM followings f JOIN units u USING (unit_id)
   WHERE f.year = $2 AND $1 = ANY (u.path)
   GROUP BY f.follower_id, f.level)
SELECT fo.follower_id, fo.level, fo.units,
       q.meetings_per_year AS quota, q.valid_from AS quota_valid_from
  FROM followers fo
  LEFT JOIN LATERAL (SELECT meetings_per_year, valid_from FROM quotas
                      WHERE province_id = fo.province AND level = fo.level AND valid_from <= $3
                      ORDER BY valid_from DESC LIMIT 1) q ON true
 ORDER BY fo.level, fo.follower_id
"""
# The year's visits of those followers, by the branch visited (its path; none: a branch
# the facts do not know).
VISITS_SQL = """
SELECT g.guest_id, b.path, count(*)::int AS visits,
       count(*) FILTER (WHERE NOT g.within_assignment)::int AS outside_assignment
  FROM guest_visits g LEFT JOIN units b ON b.unit_id = g.branch_id
 WHERE g.guest_id = ANY ($1::text[]) AND extract(year FROM g.held_on) = $2::int
 GROUP BY g.guest_id, b.path
"""


@dataclass(frozen=True)
class Follower:
    follower_id: str
    level: str
    units: list[str]
    visits: int
    outside_assignment: int
    quota: int | None
    quota_valid_from: date | None

    @property
    def met(self) -> bool | None:
        return None if self.quota is None else self.visits >= self.quota


@dataclass(frozen=True)
class FollowingVisits(Message[list[Follower]]):
    unit_id: str
    year: int


async def handle(query: FollowingVisits, deps: Deps) -> list[Follower]:
    visible = deps.rows_for(FollowingVisits)
    async with deps.facts() as conn:
        followers = await conn.fetch(
            FOLLOWERS_SQL, query.unit_id, query.year, date(query.year, 12, 31)
        )
        ids = [f["follower_id"] for f in followers]
        visits = await conn.fetch(VISITS_SQL, ids, query.year) if ids else []
    counted: dict[str, list[int]] = {}
    for row in visits:
        path = None if row["path"] is None else list(row["path"])
        if visible(path, None):
            seen = counted.setdefault(row["guest_id"], [0, 0])
            seen[0] += row["visits"]
            seen[1] += row["outside_assignment"]
    return [
        Follower(
            follower_id=f["follower_id"],
            level=f["level"],
            units=list(f["units"]),
            visits=counted.get(f["follower_id"], [0, 0])[0],
            outside_assignment=counted.get(f["follower_id"], [0, 0])[1],
            quota=f["quota"],
            quota_valid_from=f["quota_valid_from"],
        )
        for f in followers
    ]
