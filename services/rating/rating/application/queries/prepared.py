"""Province-wide reads from the prepared ratings: the roll-up, the units under a unit, the
Charter art. 8 flags. Each first derives what is stale under the unit it reads, so its
answer is exact; a backlog larger than a query should carry (after a rule-file change, a
bulk import) is left to the background derivation, and the answer says how many units it
still waits for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from chibo_kernel.pool import LeanPool

from ...adapters.facts_schema import checked
from ...adapters.staleness import marks_from_years
from ...domain.member_rating import GOOD_OR_BETTER
from ...domain.rule_book import RuleBook
from .derivation import CHUNK, derive_stale
from .rows import PreparedUnit

INLINE_LIMIT = 1000  # marks a query derives itself (about 20,000 members, a few seconds)

# The first read of a year under a unit prepares the units that never were.
UNPREPARED_SQL = """
INSERT INTO stale (unit_id, year)
SELECT u.unit_id, $2 FROM units u
 WHERE $1 = ANY (u.path) AND u.kind IN ('branch', 'grassroots')
   AND NOT EXISTS (SELECT 1 FROM unit_ratings r WHERE r.unit_id = u.unit_id AND r.year = $2)
 ORDER BY 1
ON CONFLICT (unit_id, year) DO NOTHING
"""

LEFT_SQL = """
SELECT count(*) FROM stale s JOIN units u USING (unit_id) WHERE $1 = ANY (u.path) AND s.year = $2
"""

MEMBERS_SQL = """
SELECT count(*) FILTER (WHERE d.level = ANY ($3::text[])) AS good, count(d.level) AS decided,
       count(*) FILTER (WHERE mr.rated AND d.level IS NULL) AS undecided
  FROM member_ratings mr JOIN units u ON u.unit_id = mr.cell_id
  LEFT JOIN decisions d
    ON d.subject = 'member' AND d.subject_id = mr.member_id AND d.year = mr.year
 WHERE $1 = ANY (u.path) AND mr.year = $2
"""

UNITS_SQL = """
SELECT u.kind, d.level AS decided, r.bon_tot
  FROM units u
  LEFT JOIN decisions d ON d.subject = 'unit' AND d.subject_id = u.unit_id AND d.year = $2
  LEFT JOIN unit_ratings r ON r.unit_id = u.unit_id AND r.year = $2
 WHERE $1 = ANY (u.path) AND (u.active OR u.unit_id = $1)
"""

BELOW_SQL = """
SELECT u.unit_id, u.name, r.level, r.score, r.reasons, d.level AS decided
  FROM units u JOIN unit_ratings r ON r.unit_id = u.unit_id AND r.year = $2
  LEFT JOIN decisions d ON d.subject = 'unit' AND d.subject_id = u.unit_id AND d.year = $2
 WHERE u.parent_id = $1 AND u.active AND u.kind IN ('branch', 'grassroots')
 ORDER BY u.unit_id
"""

FLAGS_SQL = """
SELECT mr.member_id, m.full_name, mr.cell_id, mr.unexcused_months, mr.flagged, rm.removed,
       rm.member_id IS NOT NULL AS in_procedure
  FROM member_ratings mr JOIN units u ON u.unit_id = mr.cell_id
  JOIN members m ON m.member_id = mr.member_id
  LEFT JOIN removals rm ON rm.member_id = mr.member_id AND rm.year = mr.year
 WHERE $1 = ANY (u.path) AND mr.year = $2 AND (mr.flagged OR rm.member_id IS NOT NULL)
 ORDER BY mr.cell_id, m.full_name, mr.member_id
"""


@dataclass(frozen=True)
class Count:
    good: int
    total: int


@dataclass(frozen=True)
class Tally:
    members: Count
    branches: Count
    organisations: Count
    bon_tot: Count
    undecided_members: int
    waiting_units: int  # stale units the figures do not reflect yet; 0: exact


@dataclass(frozen=True)
class Flag:
    member_id: str
    full_name: str
    branch_id: str
    months: list[str]
    procedure: str  # flagged, proposed, removed or kept


class Prepared:
    def __init__(self, pool: Callable[[], LeanPool], book: RuleBook) -> None:
        self._pool, self._book = pool, book  # the pool exists once the service has started

    async def settle(self, schema: str, unit_id: str, year: int) -> int:
        """Derive what is stale under the unit for the year; returns the marks left. Years
        noted while the consumers catch up become marks first: what they changed is then
        derived here too, or counted as waiting."""
        async with self._pool().acquire() as conn, conn.transaction():
            await conn.execute(f"SET LOCAL search_path TO {checked(schema)}, public")
            await marks_from_years(conn)
            await conn.execute(UNPREPARED_SQL, unit_id, year)
        taken = 0
        while taken < INLINE_LIMIT:
            step = await derive_stale(self._pool(), schema, self._book, under=unit_id, year=year)
            taken += step
            if step < CHUNK:
                break
        return await self._count(schema, LEFT_SQL, unit_id, year)

    async def tally(self, conn: asyncpg.Connection, unit_id: str, year: int) -> Tally:
        members = await conn.fetchrow(MEMBERS_SQL, unit_id, year, list(GOOD_OR_BETTER))
        branches, organisations, bon_tot = [0, 0], [0, 0], [0, 0]
        for row in await conn.fetch(UNITS_SQL, unit_id, year):
            counted = {"branch": branches, "grassroots": organisations}.get(row["kind"])
            if counted is not None and row["decided"] is not None:
                counted[0] += row["decided"] in GOOD_OR_BETTER
                counted[1] += 1
            if row["bon_tot"] is not None:
                bon_tot[0] += row["bon_tot"]
                bon_tot[1] += 1
        return Tally(
            members=Count(members["good"], members["decided"]),
            branches=Count(*branches),
            organisations=Count(*organisations),
            bon_tot=Count(*bon_tot),
            undecided_members=members["undecided"],
            waiting_units=int(await conn.fetchval(LEFT_SQL, unit_id, year)),
        )

    @staticmethod
    async def below(conn: asyncpg.Connection, unit_id: str, year: int) -> list[PreparedUnit]:
        """The collectives directly under a unit, with their prepared proposals."""
        return [
            PreparedUnit(
                r["unit_id"], r["name"], r["level"], r["score"], list(r["reasons"]), r["decided"]
            )
            for r in await conn.fetch(BELOW_SQL, unit_id, year)
        ]

    @staticmethod
    async def flags(conn: asyncpg.Connection, unit_id: str, year: int) -> list[Flag]:
        return [
            Flag(
                member_id=r["member_id"],
                full_name=r["full_name"],
                branch_id=r["cell_id"],
                months=list(r["unexcused_months"]),
                procedure=_procedure(r["in_procedure"], r["removed"]),
            )
            for r in await conn.fetch(FLAGS_SQL, unit_id, year)
        ]

    async def _count(self, schema: str, sql: str, *args: object) -> int:
        async with self._pool().acquire() as conn, conn.transaction(readonly=True):
            await conn.execute(f"SET LOCAL search_path TO {checked(schema)}, public")
            return int(await conn.fetchval(sql, *args))


def _procedure(in_procedure: bool, removed: bool | None) -> str:
    if not in_procedure:
        return "flagged"
    return "proposed" if removed is None else ("removed" if removed else "kept")
