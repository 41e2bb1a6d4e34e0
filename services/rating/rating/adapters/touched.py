"""What a batch of events may have changed (`Touched`), read from each event's fields by the
names the contracts share, and where each event type keeps them (`Shape`). Resolved to
(unit, year) marks by `MARK_SQL` in the transaction that applies the events; `staleness.py`
says which marks an event makes and why they may be generous.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg

from .staleness_sql import MARK_SQL, YEARS_SQL

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
# `to_date` closes it), and those that date one day. The first an event has dates it: a
# registration's membership starts when the member began attending, else at the admission.
PERIOD_FIELDS = ("from_date", "on", "since", "attending_since", "admission_date", "valid_from")
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
