"""The rows the read side passes from one step to the next, typed where they leave SQL: the
units of the facts, the collectives' appraisals, and the collectives directly under a unit
with their prepared ratings. A row read and used in the same few lines stays a record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from chibo_contracts.rating import Level


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit as the facts hold it (`UNITS_SQL`, `UNIT_ROWS_SQL`)."""

    unit_id: str
    name: str
    kind: str  # as the assignment service names it; `assessments.unit_kind`: as rated
    path: list[str]
    parent_id: str | None
    leaf: bool  # no active unit under it


async def fetch_units(conn: asyncpg.Connection, sql: str, *args: object) -> list[UnitRow]:
    return [
        UnitRow(r["unit_id"], r["name"], r["kind"], list(r["path"]), r["parent_id"], r["leaf"])
        for r in await conn.fetch(sql, *args)
    ]


@dataclass(frozen=True, slots=True)
class UnitAppraisal:
    """The level above's appraisal of a collective (`unit_appraisals`)."""

    points: float | None
    level: Level
    targets_total: int
    targets_done: int
    targets_exceeded: int
    disciplined: bool


async def unit_appraisals(
    conn: asyncpg.Connection, year: int, unit_ids: Sequence[str]
) -> dict[str, UnitAppraisal]:
    rows = await conn.fetch(
        "SELECT unit_id, points, level, targets_total, targets_done, targets_exceeded, "
        "disciplined FROM unit_appraisals WHERE year = $1 AND unit_id = ANY ($2::text[])",
        year,
        list(unit_ids),
    )
    return {
        r["unit_id"]: UnitAppraisal(
            r["points"],
            r["level"],
            r["targets_total"],
            r["targets_done"],
            r["targets_exceeded"],
            r["disciplined"],
        )
        for r in rows
    }


@dataclass(frozen=True, slots=True)
class PreparedUnit:
    """A collective directly under a unit, with its prepared proposal (`prepared.BELOW_SQL`)."""

    unit_id: str
    name: str
    level: Level | None
    score: float | None
    reasons: list[str]
    decided: Level | None
