"""Reading the consumed roster, org tree and followings back: what commands check against
and what the views join the marks with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chibo_kernel.pool import LeanPool

from ..domain.meeting_unit import ConsumedUnit
from ..domain.roster import Roster, RosterEntry

# One row per member on the roster of a branch, for each (key, day) asked about.
ROSTER_SQL = """
WITH days AS (SELECT * FROM unnest($2::text[], $3::date[]) AS d(key, day))
SELECT d.key, p.member_id, m.full_name, p.membership,
       CASE
         WHEN EXISTS (SELECT 1 FROM roster_standing s WHERE s.member_id = p.member_id
                        AND s.standing = 'suspended' AND s.from_date <= d.day
                        AND (s.to_date IS NULL OR s.to_date >= d.day)) THEN 'suspended'
         WHEN EXISTS (SELECT 1 FROM roster_standing s WHERE s.member_id = p.member_id
                        AND s.standing = 'exempt' AND s.from_date <= d.day
                        AND (s.to_date IS NULL OR s.to_date >= d.day)) THEN 'exempt'
         WHEN p.membership = 'official' AND EXISTS (
                SELECT 1 FROM roster_periods t WHERE t.member_id = p.member_id
                   AND t.membership = 'temporary' AND t.branch_id <> p.branch_id
                   AND t.from_date <= d.day AND t.to_date >= d.day) THEN 'away'
         ELSE 'expected'
       END AS standing,
       EXISTS (SELECT 1 FROM roster_roles r WHERE r.member_id = p.member_id
                 AND r.branch_id = p.branch_id AND r.since <= d.day) AS committee
  FROM days d
  JOIN roster_periods p ON p.branch_id = $1 AND p.from_date <= d.day
                       AND (p.to_date IS NULL OR p.to_date >= d.day)
  JOIN roster_members m USING (member_id)
 ORDER BY d.key, m.full_name, p.member_id
"""


async def rosters(
    pool: LeanPool, branch_id: str, days: Sequence[tuple[str, date]]
) -> dict[str, Roster]:
    """The branch's roster on each day, keyed as asked (e.g. by meeting id)."""
    rows = await pool.fetch(ROSTER_SQL, branch_id, [k for k, _ in days], [d for _, d in days])
    entries: dict[str, list[RosterEntry]] = {key: [] for key, _ in days}
    for row in rows:
        entries[row["key"]].append(
            RosterEntry(
                row["member_id"],
                row["full_name"],
                row["membership"],
                row["standing"],
                row["committee"],
            )
        )
    by_key = dict(days)
    return {key: Roster(branch_id, by_key[key], found) for key, found in entries.items()}


async def roster_on(pool: LeanPool, branch_id: str, day: date) -> Roster:
    return (await rosters(pool, branch_id, [("day", day)]))["day"]


async def unit_path(pool: LeanPool, unit_id: str) -> tuple[list[str], str, bool] | None:
    """(path, kind, active) of a unit as consumed, or None while it is unknown here."""
    row = await pool.fetchrow(
        "SELECT path, kind, active FROM org_units WHERE unit_id = $1", unit_id
    )
    return None if row is None else (list(row["path"]), row["kind"], row["active"])


async def consumed_unit(pool: LeanPool, unit_id: str) -> ConsumedUnit | None:
    """A unit as consumed with the active units under it, or None while it is unknown."""
    row = await pool.fetchrow(
        "SELECT u.unit_id, u.name, u.kind, u.path, u.active, array(SELECT c.unit_id FROM"
        " org_units c WHERE c.parent_id = u.unit_id AND c.active ORDER BY c.unit_id) AS subs"
        " FROM org_units u WHERE u.unit_id = $1",
        unit_id,
    )
    if row is None:
        return None
    return ConsumedUnit(
        row["unit_id"],
        row["name"],
        row["kind"],
        list(row["path"]),
        row["active"],
        tuple(row["subs"]),
    )


@dataclass(frozen=True, slots=True)
class MeetingPlace:
    branch_id: str
    year: int  # of the branch's meeting book the meeting is in
    path: list[str]  # the branch's organisation path


async def meeting_place(pool: LeanPool, meeting_id: str) -> MeetingPlace | None:
    """Where a meeting belongs, or None for a meeting unknown here."""
    row = await pool.fetchrow(
        "SELECT m.branch_id, m.year, u.path FROM meetings m LEFT JOIN org_units u"
        " ON u.unit_id = m.branch_id WHERE m.meeting_id = $1",
        meeting_id,
    )
    if row is None:
        return None
    # A meeting is only scheduled at a branch known here, so the fallback is never used;
    # were it, only a province-wide principal would cover the one-element path.
    path = list(row["path"]) if row["path"] is not None else [row["branch_id"]]
    return MeetingPlace(row["branch_id"], row["year"], path)


async def member_path(pool: LeanPool, member_id: str) -> list[str] | None:
    """The path of the branch the member last belonged to officially (their latest
    membership), or None while the member is unknown here."""
    path = await pool.fetchval(
        "SELECT u.path FROM roster_periods p JOIN org_units u ON u.unit_id = p.branch_id"
        " WHERE p.member_id = $1 AND p.membership = 'official'"
        " ORDER BY p.from_date DESC LIMIT 1",
        member_id,
    )
    return None if path is None else list(path)


async def member_names(pool: LeanPool, member_ids: Sequence[str]) -> dict[str, str]:
    """The names of those of the members known here ("đã xóa" where erased)."""
    rows = await pool.fetch(
        "SELECT member_id, full_name FROM roster_members WHERE member_id = ANY ($1::text[])",
        list(member_ids),
    )
    return {r["member_id"]: r["full_name"] for r in rows}


async def followed_units(pool: LeanPool, follower_id: str, year: int) -> set[str]:
    return set(await followed_unit_paths(pool, follower_id, year))


async def followed_unit_paths(
    pool: LeanPool, follower_id: str, year: int
) -> dict[str, list[str] | None]:
    """Each unit the follower follows that year, with its path (None while it is unknown)."""
    rows = await pool.fetch(
        "SELECT f.unit_id, u.path FROM followings f LEFT JOIN org_units u USING (unit_id)"
        " WHERE f.follower_id = $1 AND f.year = $2",
        follower_id,
        year,
    )
    return {r["unit_id"]: None if r["path"] is None else list(r["path"]) for r in rows}
