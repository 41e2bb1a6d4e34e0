"""Multi-year titles: for each branch, chi bộ cơ sở and grassroots organisation under a unit,
the years in a row it was decided "hoàn thành xuất sắc nhiệm vụ" (and good or better) up to
the year asked, and whether that reaches the multi-year award."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from chibo_contracts.rating import Level
from chibo_kernel.domain import Message

from ...domain.titles import run_of_years
from ..deps import Deps

UNITS_SQL = """
SELECT unit_id, name, kind FROM units
 WHERE $1 = ANY (path) AND kind IN ('branch', 'grassroots') ORDER BY cardinality(path), unit_id
"""
DECIDED_SQL = """
SELECT subject_id, year, level FROM decisions
 WHERE subject = 'unit' AND subject_id = ANY ($1::text[]) AND year <= $2
"""


@dataclass(frozen=True)
class Title:
    unit_id: str
    name: str
    kind: str
    excellent_years: int
    good_years: int
    eligible: bool
    reason: str


@dataclass(frozen=True)
class UnitTitles(Message[list[Title]]):
    unit_id: str
    year: int


async def handle(query: UnitTitles, deps: Deps) -> list[Title]:
    async with deps.facts() as conn:
        units = await conn.fetch(UNITS_SQL, query.unit_id)
        rows = await conn.fetch(DECIDED_SQL, [u["unit_id"] for u in units], query.year)
    decided: dict[str, dict[int, Level]] = defaultdict(dict)
    for row in rows:
        decided[row["subject_id"]][row["year"]] = row["level"]
    needed = deps.rules.charter.award_years
    lines = []
    for unit in units:
        run = run_of_years(decided[unit["unit_id"]], query.year, needed)
        lines.append(
            Title(
                unit_id=unit["unit_id"],
                name=unit["name"],
                kind=unit["kind"],
                excellent_years=run.excellent_years,
                good_years=run.good_years,
                eligible=run.eligible,
                reason=run.reason.text(),
            )
        )
    return lines
