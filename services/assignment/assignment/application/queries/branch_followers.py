"""Who follows a branch from above in a year: every higher committee member following the
branch itself or a unit above it (its commune, district or province), with the level the
following records and the unit they follow, so a meeting sheet can offer them as guests.

Someone following several units on the branch's path is listed once, with the nearest of
them. Someone who left the Party before the year began is no longer offered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chibo_kernel.clock import vietnam_today
from chibo_kernel.domain import Message
from chibo_kernel.errors import NotFound

from ...domain.vietnamese_order import name_order
from .reads import Reads

# A unit's path runs from the root down to the unit itself, so the units that contain the
# branch are exactly those on its path; the deepest of them comes first per follower.
_FOLLOWERS = """
SELECT DISTINCT ON (f.follower_id)
       f.follower_id AS member_id, m.full_name, f.level, f.unit_id, u.name AS unit_name
  FROM org_units b
  JOIN followings f ON f.year = $2 AND f.unit_id = ANY (b.path)
  JOIN org_units u ON u.unit_id = f.unit_id
  JOIN members m ON m.member_id = f.follower_id
 WHERE b.unit_id = $1
   AND (m.left_on IS NULL OR m.left_on >= make_date($2, 1, 1))
 ORDER BY f.follower_id, cardinality(u.path) DESC
"""


@dataclass(frozen=True)
class BranchFollowers(Message[dict[str, Any]]):
    """In `year`; by default this year."""

    branch_id: str
    year: int | None = None


async def handle(query: BranchFollowers, reads: Reads) -> dict[str, Any]:
    pool = reads.pool()
    year = query.year or vietnam_today().year
    known = await pool.fetchval("SELECT 1 FROM org_units WHERE unit_id = $1", query.branch_id)
    if known is None:
        raise NotFound(f"unit {query.branch_id}", f"đơn vị {query.branch_id}")
    rows = await pool.fetch(_FOLLOWERS, query.branch_id, year)
    followers = [
        {
            "member_id": r["member_id"],
            "full_name": r["full_name"],
            "level": r["level"],
            "unit_id": r["unit_id"],
            "unit_name": r["unit_name"],
        }
        for r in rows
    ]
    followers.sort(key=lambda f: name_order(f["full_name"]))
    return {"branch_id": query.branch_id, "year": year, "followers": followers}
