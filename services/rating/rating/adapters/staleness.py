"""Which (unit, year) an event may change the ratings of, marked stale in the transaction
that applies it, so the derivation prepares them again.

A mark is cheap and may be generous: deriving a unit whose rows did not change writes the
same rows. A missed mark would leave a wrong figure, so an event marks every branch it
names, every branch its members belonged to in the years it concerns, and, for the events
that carry only an id (a plan, a problem), the branch that id was filed under. A period
(a membership since 2010, an exemption) concerns every later year, but marks only the years
already prepared: a year nobody has read yet is prepared by its first read, or by the
plans, reports and meetings that date it. Marks are
written in (unit, year) order: two transactions marking the same rows take their locks in
the same order and never deadlock each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg

from .facts_schema import schema_of

MARK_SQL = """
INSERT INTO stale (unit_id, year)
SELECT unit_id, year FROM (
    SELECT unit_id, year, bool_or(sure) AS sure FROM (
        SELECT c.u, c.y, c.sure FROM unnest($1::text[], $2::int[], $3::boolean[]) AS c(u, y, sure)
        UNION ALL
        SELECT p.branch_id, m.y, m.sure
          FROM unnest($4::text[], $5::int[], $6::boolean[]) AS m(id, y, sure)
          JOIN member_periods p ON p.member_id = m.id
           AND p.from_date <= make_date(m.y, 12, 31)
           AND (p.to_date IS NULL OR p.to_date >= make_date(m.y, 1, 1))
        UNION ALL
        SELECT branch_id, year, true FROM plans WHERE plan_id = ANY ($7::text[])
        UNION ALL
        SELECT branch_id, substr(month, 1, 4)::int, true FROM problems
         WHERE problem_id = ANY ($8::text[])
    ) AS t(unit_id, year, sure) GROUP BY unit_id, year
) AS touched
WHERE year BETWEEN $9 AND $10
  AND (sure OR EXISTS (SELECT 1 FROM unit_ratings r
                        WHERE r.unit_id = touched.unit_id AND r.year = touched.year))
ORDER BY unit_id, year
ON CONFLICT (unit_id, year) DO UPDATE SET version = stale.version + 1
"""

YEARS_SQL = """
INSERT INTO catch_up_years (year)
SELECT DISTINCT y FROM (
    SELECT unnest($1::int[]) AS y
    UNION SELECT c.y FROM unnest($2::int[]) AS c(y)
     WHERE EXISTS (SELECT 1 FROM unit_ratings r WHERE r.year = c.y)
    UNION SELECT year FROM plans WHERE plan_id = ANY ($3::text[])
    UNION SELECT substr(month, 1, 4)::int FROM problems WHERE problem_id = ANY ($4::text[])
) AS t
WHERE y BETWEEN $5 AND $6
ORDER BY 1
ON CONFLICT (year) DO NOTHING
"""

# Every unit a year's ratings are prepared for, marked for the years noted while catching up.
YEARS_TO_MARKS_SQL = """
WITH years AS (DELETE FROM catch_up_years RETURNING year)
INSERT INTO stale (unit_id, year)
SELECT u.unit_id, y.year FROM units u CROSS JOIN years y
 WHERE u.kind IN ('branch', 'grassroots') ORDER BY 1, 2
ON CONFLICT (unit_id, year) DO UPDATE SET version = stale.version + 1
"""

# The fields that name a unit whose cells an event may change.
UNIT_FIELDS = (
    "branch_id",
    "from_branch_id",
    "to_branch_id",
    "home_branch_id",
    "host_branch_id",
    "unit_id",
    "parent_id",
    "from_parent_id",
    "to_parent_id",
)
# The fields that date a period an event opens (it changes every later year until a
# `to_date` closes it), and those that date one day.
PERIOD_FIELDS = ("from_date", "on", "since", "admission_date", "valid_from")
DAY_FIELDS = ("held_on",)


@dataclass(frozen=True)
class Shape:
    """Where an event type keeps what `Touched` reads (looked up once per type: a replay
    reads hundreds of thousands of events)."""

    units: tuple[str, ...]
    member: bool
    marks: bool
    dated_by: str | None  # year, month, or a day or period field
    period: bool
    closed_by: bool  # a `to_date`

    @staticmethod
    def of(kind: type[Any]) -> Shape:
        if (known := _SHAPES.get(kind)) is not None:
            return known
        names = set(getattr(kind, "model_fields", {}))
        dated = [n for n in ("year", "month", *DAY_FIELDS, *PERIOD_FIELDS) if n in names]
        shape = _SHAPES[kind] = Shape(
            units=tuple(n for n in UNIT_FIELDS if n in names),
            member="member_id" in names,
            marks="marks" in names,
            dated_by=dated[0] if dated else None,
            period=bool(dated) and dated[0] in PERIOD_FIELDS,
            closed_by="to_date" in names,
        )
        return shape


_SHAPES: dict[type[Any], Shape] = {}


@dataclass
class Touched:
    """What a batch of events may have changed, before it is resolved to units; or, while
    the consumers catch up (`years_only`), just the years."""

    first_year: int
    years_only: bool = False
    # (id, year) → sure: a year the event dates itself; a later year of a period it opens
    # is marked only where that year is already prepared (the first read prepares the rest).
    cells: dict[tuple[str, int], bool] = field(default_factory=dict)
    members: dict[tuple[str, int], bool] = field(default_factory=dict)
    years: dict[int, bool] = field(default_factory=dict)
    plans: set[str] = field(default_factory=set)
    problems: set[str] = field(default_factory=set)

    @property
    def last_year(self) -> int:
        return date.today().year + 1

    def add(self, event: Any) -> None:
        """One event, read by the fields the contracts share (every event names its units,
        members and dates with the same field names)."""
        shape = Shape.of(type(event))
        years, sure = self._years(event, shape)
        if (plan := getattr(event, "plan_id", None)) is not None:
            self.plans.add(plan)
        if (problem := getattr(event, "problem_id", None)) is not None:
            self.problems.add(problem)
        if self.years_only:
            for year in years:
                self.years[year] = sure or self.years.get(year, False)
            return
        units = [u for n in shape.units if isinstance(u := getattr(event, n), str)]
        members = [event.member_id] if shape.member else []
        if shape.marks:
            members += [mark.member_id for mark in event.marks]
        for year in years:
            for unit in units:
                self.touch(self.cells, (unit, year), sure)
            for member in members:
                self.touch(self.members, (member, year), sure)

    @staticmethod
    def touch(found: dict[tuple[str, int], bool], key: tuple[str, int], sure: bool) -> None:
        found[key] = sure or found.get(key, False)

    def _years(self, event: Any, shape: Shape) -> tuple[range, bool]:
        """The years an event concerns, and whether it dates them itself."""
        if shape.dated_by is None:
            return range(0), True  # an id-only event: resolved through its plan or problem
        value = getattr(event, shape.dated_by)
        if value is None:
            return range(0), True
        if not shape.period:
            year = value if isinstance(value, int) else int(str(value)[:4])
            return range(year, year + 1), True
        end = getattr(event, "to_date", None) if shape.closed_by else None
        last = end.year if isinstance(end, date) else self.last_year
        # A period open at the year's end changes every later year until it closes.
        return range(max(value.year, self.first_year), min(last, self.last_year) + 1), False

    async def mark(self, conn: asyncpg.Connection) -> None:
        """Into the stale table of the schema the connection's search path names first."""
        if not (self.cells or self.members or self.plans or self.problems):
            return
        await conn.execute(
            MARK_SQL,
            *_columns(self.cells),
            *_columns(self.members),
            sorted(self.plans),
            sorted(self.problems),
            self.first_year,
            self.last_year,
        )

    async def mark_years(self, conn: asyncpg.Connection) -> None:
        """Only the years, for the derivation to mark every unit of once caught up."""
        if self.years or self.plans or self.problems:
            await conn.execute(
                YEARS_SQL,
                sorted(y for y, sure in self.years.items() if sure),
                sorted(y for y, sure in self.years.items() if not sure),
                sorted(self.plans),
                sorted(self.problems),
                self.first_year,
                self.last_year,
            )


def _columns(
    found: Mapping[tuple[str, int], bool],
) -> tuple[list[str], list[int], list[bool]]:
    ordered = sorted(found.items())
    return [k[0] for k, _ in ordered], [k[1] for k, _ in ordered], [v for _, v in ordered]


async def mark_all(conn: asyncpg.Connection, first_year: int) -> int:
    """Every unit in every year anything is prepared or recorded for: after a rule-file
    change, or a generation made by a release that prepared nothing."""
    status = await conn.execute(
        """
        INSERT INTO stale (unit_id, year)
        SELECT u.unit_id, y.year FROM units u CROSS JOIN (
            SELECT year FROM unit_ratings UNION SELECT year FROM plans
            UNION SELECT substr(month, 1, 4)::int FROM meetings
            UNION SELECT substr(month, 1, 4)::int FROM reports) AS y
         WHERE y.year >= $1 ORDER BY 1, 2
        ON CONFLICT (unit_id, year) DO UPDATE SET version = stale.version + 1
        """,
        first_year,
    )
    return int(status.split()[-1])


async def mark_inputs(conn: asyncpg.Connection, event: Any) -> None:
    """A rating input (a member's file, an appraisal, a decision) changes the ratings of its
    member's cells or of its unit: marked in every generation serving or being built, in
    the transaction that records it. The rows read FOR SHARE hold off a new generation's
    registration until this commits; a generation registered first is seen here."""
    touched = Touched(first_year=0)
    subject = getattr(event, "subject", None)
    if subject == "unit":
        touched.cells[(event.subject_id, event.year)] = True
    elif subject == "member":
        touched.members[(event.subject_id, event.year)] = True
    else:
        touched.add(event)
    generations = await conn.fetch(
        "SELECT generation FROM read_model_generations WHERE state IN ('active', 'building') "
        "ORDER BY generation FOR SHARE"
    )
    if not generations or not (touched.cells or touched.members):
        return
    search_path = await conn.fetchval("SHOW search_path")
    for row in generations:
        await conn.execute(f"SET LOCAL search_path TO {schema_of(row['generation'])}, public")
        await touched.mark(conn)
    await conn.execute("SELECT set_config('search_path', $1, true)", search_path)


async def marks_from_years(conn: asyncpg.Connection) -> None:
    """The years noted while catching up, turned into marks of every unit (one statement:
    a batch noting a year meanwhile either lands before it or is turned next time)."""
    await conn.execute(YEARS_TO_MARKS_SQL)
