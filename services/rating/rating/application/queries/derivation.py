"""Prepared ratings: stale (unit, year) marks turned into the rows province-wide queries
aggregate (`member_ratings`, `unit_ratings`), by the same assessment a unit's own card runs.

A branch-level cell is derived from its members and meetings, a grassroots organisation
with branches from its branches' prepared rows; deriving a chunk of cells derives their
organisations too, so an organisation is right once its last stale branch is. One
derivation runs at a time per generation (an advisory lock), whichever process or query
asks; a mark made while a derivation runs keeps its unit stale (the version check), so
nothing is cleared that the derivation did not see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from chibo_contracts.rating import Level
from chibo_kernel.logging import get_logger
from chibo_kernel.pool import LeanPool

from ...adapters.facts_schema import checked
from ...domain.collective_rating import rate_collective
from ...domain.rule_book import NoRuleSet, RuleBook
from .assessments import (
    CELL_KINDS,
    UNIT_ROWS_SQL,
    UnitAssessment,
    assess_members,
    assess_units,
    collective_year,
    unit_kind,
)
from .derivation_sql import CHILDREN_SQL, CLEAR_SQL, MEMBER_ROWS_SQL, STALE_SQL, UNIT_ROW_SQL
from .evidence import member_evidence
from .rows import UnitRow, fetch_units, unit_appraisals

log = get_logger("rating.derivation")

DEADLOCK_ATTEMPTS = 3
CHUNK = 200  # cells per transaction: about 4,000 members, well under a second


@dataclass(frozen=True, slots=True)
class Child:
    """A row of `CHILDREN_SQL`: a collective under an organisation, as counted upward."""

    parent_id: str
    unit_id: str
    prepared: bool
    level: Level | None
    disciplined: bool


# A row of `unit_ratings`, as `UNIT_ROW_SQL` writes it.
UnitRating = tuple[str, int, str, Level | None, float | None, list[str], bool | None, bool]


async def derive_stale(
    pool: LeanPool,
    schema: str,
    book: RuleBook,
    *,
    under: str | None = None,
    year: int | None = None,
    limit: int = CHUNK,
) -> int:
    """Derive one chunk of stale marks (under a unit, of a year, when given); returns how
    many marks it took, 0 when none is left."""
    for attempt in range(DEADLOCK_ATTEMPTS):
        try:
            return await _derive_chunk(pool, schema, book, under, year, limit)
        except asyncpg.DeadlockDetectedError:
            # Marks and clears lock in the same order; should PostgreSQL still pick this
            # transaction to break a deadlock, nothing was written: derive the chunk again.
            if attempt == DEADLOCK_ATTEMPTS - 1:
                raise
    return 0


async def _derive_chunk(
    pool: LeanPool, schema: str, book: RuleBook, under: str | None, year: int | None, limit: int
) -> int:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f"SET LOCAL search_path TO {checked(schema)}, public")
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", schema)
        marks = await conn.fetch(STALE_SQL, under, year, limit)
        by_year: dict[int, list[str]] = defaultdict(list)
        for mark in marks:
            by_year[mark["year"]].append(mark["unit_id"])
        for marked_year, units in by_year.items():
            await derive_units(conn, units, marked_year, book)
        await conn.execute(
            CLEAR_SQL,
            [m["unit_id"] for m in marks],
            [m["year"] for m in marks],
            [m["version"] for m in marks],
        )
    return len(marks)


async def derive_units(
    conn: asyncpg.Connection, unit_ids: Sequence[str], year: int, book: RuleBook
) -> None:
    """Prepare the rows of the units given and of the organisations above their cells."""
    try:
        book.for_year(year)
    except NoRuleSet:
        return  # no rules for that year: nothing to prepare, the queries say so
    units = await fetch_units(conn, UNIT_ROWS_SQL, list(unit_ids))
    cells = [u for u in units if unit_kind(u) in CELL_KINDS]
    organisations = {u.unit_id for u in units if unit_kind(u) == "grassroots"}
    organisations |= {u.parent_id for u in cells if u.parent_id is not None}
    await _derive_cells(conn, cells, year, book)
    await _derive_organisations(conn, sorted(organisations), year, book)


async def _derive_cells(
    conn: asyncpg.Connection, cells: Sequence[UnitRow], year: int, book: RuleBook
) -> None:
    if not cells:
        return
    rules = book.for_year(year)
    ids = [c.unit_id for c in cells]
    members = assess_members(await member_evidence(conn, ids, year), rules, book)
    assessed = await assess_units(conn, cells, members, year, rules)
    # Members who left a cell are dropped from it; their new cell's derivation adds them.
    await conn.execute(
        "DELETE FROM member_ratings WHERE cell_id = ANY ($1::text[]) AND year = $2", ids, year
    )
    rows = [
        (
            m.evidence.member_id,
            year,
            m.evidence.branch_id,
            m.rated,
            m.proposal.level,
            m.proposal.score,
            m.removal is not None,
            ",".join(m.evidence.unexcused_months),
        )
        for m in members
    ]
    if rows:
        await conn.execute(MEMBER_ROWS_SQL, *map(list, zip(*rows, strict=True)))
    await conn.executemany(UNIT_ROW_SQL, [_unit_row(u, year) for u in assessed.values()])


async def _derive_organisations(
    conn: asyncpg.Connection, ids: Sequence[str], year: int, book: RuleBook
) -> None:
    """A grassroots organisation with branches, from its branches' prepared rows (those
    never prepared are prepared first)."""
    if not ids:
        return
    units = await fetch_units(conn, UNIT_ROWS_SQL, list(ids))
    organisations = [u for u in units if unit_kind(u) == "grassroots"]
    if not organisations:
        return
    ids = [u.unit_id for u in organisations]
    children = await _children(conn, ids, year)
    unprepared = [c.unit_id for c in children if not c.prepared]
    if unprepared:
        await _derive_cells(conn, await fetch_units(conn, UNIT_ROWS_SQL, unprepared), year, book)
        children = await _children(conn, ids, year)
    below: dict[str, list[Child]] = defaultdict(list)
    for child in children:
        below[child.parent_id].append(child)
    appraisals = await unit_appraisals(conn, year, ids)
    rules = book.for_year(year).collective
    rows: list[UnitRating] = []
    for unit in organisations:
        mine = below[unit.unit_id]
        appraisal = appraisals.get(unit.unit_id)
        record = collective_year(
            unit,
            "grassroots",
            year,
            [],
            tuple(c.level for c in mine),
            sum(1 for c in mine if c.disciplined),
            appraisal,
        )
        proposal = rate_collective(record, rules)
        disciplined = appraisal is not None and appraisal.disciplined
        rows.append(
            (
                unit.unit_id,
                year,
                "grassroots",
                proposal.level,
                proposal.score,
                proposal.texts,
                None,
                disciplined,
            )
        )
    await conn.executemany(UNIT_ROW_SQL, rows)


async def _children(conn: asyncpg.Connection, ids: list[str], year: int) -> list[Child]:
    return [
        Child(r["parent_id"], r["unit_id"], r["prepared"], r["level"], r["disciplined"])
        for r in await conn.fetch(CHILDREN_SQL, ids, year)
    ]


def _unit_row(u: UnitAssessment, year: int) -> UnitRating:
    title = u.branch.bon_tot if u.branch is not None else None
    return (
        u.unit_id,
        year,
        u.kind,
        u.proposal.level if u.proposal else None,
        u.proposal.score if u.proposal else None,
        u.proposal.texts if u.proposal else [],
        None if title is None else title.title,
        u.disciplined,
    )
