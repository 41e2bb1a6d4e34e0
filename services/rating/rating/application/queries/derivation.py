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
from typing import Any

import asyncpg

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
from .evidence import member_evidence

log = get_logger("rating.derivation")

DEADLOCK_ATTEMPTS = 3
CHUNK = 200  # cells per transaction: about 4,000 members, well under a second

STALE_SQL = """
SELECT s.unit_id, s.year, s.version FROM stale s
 WHERE ($1::text IS NULL OR EXISTS (
         SELECT 1 FROM units u WHERE u.unit_id = s.unit_id AND $1 = ANY (u.path)))
   AND ($2::int IS NULL OR s.year = $2)
 ORDER BY s.year, s.unit_id LIMIT $3
"""

# Locked in (unit, year) order, as marks are, so a derivation and a mark never deadlock.
CLEAR_SQL = """
DELETE FROM stale WHERE (unit_id, year, version) IN (
    SELECT s.unit_id, s.year, s.version FROM stale s
      JOIN unnest($1::text[], $2::int[], $3::bigint[]) AS d(u, y, v)
        ON s.unit_id = d.u AND s.year = d.y AND s.version = d.v
     ORDER BY s.unit_id, s.year FOR UPDATE OF s)
"""

CHILDREN_SQL = """
SELECT c.parent_id, c.unit_id, r.unit_id IS NOT NULL AS prepared,
       coalesce(d.level, r.level) AS level, coalesce(a.disciplined, false) AS disciplined
  FROM units c
  LEFT JOIN unit_ratings r ON r.unit_id = c.unit_id AND r.year = $2
  LEFT JOIN decisions d ON d.subject = 'unit' AND d.subject_id = c.unit_id AND d.year = $2
  LEFT JOIN unit_appraisals a ON a.unit_id = c.unit_id AND a.year = $2
 WHERE c.parent_id = ANY ($1::text[]) AND c.active AND c.kind IN ('branch', 'grassroots')
 ORDER BY c.parent_id, c.unit_id
"""

UNIT_ROW_SQL = """
INSERT INTO unit_ratings VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (unit_id, year) DO UPDATE SET kind = excluded.kind, level = excluded.level,
    score = excluded.score, reasons = excluded.reasons, bon_tot = excluded.bon_tot,
    disciplined = excluded.disciplined
"""

MEMBER_ROWS_SQL = """
INSERT INTO member_ratings
SELECT id, y, cell, rated, level, score, flagged, string_to_array(months, ',')
  FROM unnest($1::text[], $2::int[], $3::text[], $4::boolean[], $5::text[],
              $6::float8[], $7::boolean[], $8::text[])
       AS m(id, y, cell, rated, level, score, flagged, months)
ON CONFLICT (member_id, year) DO UPDATE SET cell_id = excluded.cell_id,
    rated = excluded.rated, level = excluded.level, score = excluded.score,
    flagged = excluded.flagged, unexcused_months = excluded.unexcused_months
"""


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
    units = await conn.fetch(UNIT_ROWS_SQL, list(unit_ids))
    cells = [u for u in units if unit_kind(u) in CELL_KINDS]
    organisations = {u["unit_id"] for u in units if unit_kind(u) == "grassroots"}
    organisations |= {u["parent_id"] for u in cells if u["parent_id"] is not None}
    await _derive_cells(conn, cells, year, book)
    await _derive_organisations(conn, sorted(organisations), year, book)


async def _derive_cells(
    conn: asyncpg.Connection, cells: Sequence[Any], year: int, book: RuleBook
) -> None:
    if not cells:
        return
    rules = book.for_year(year)
    ids = [c["unit_id"] for c in cells]
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
    organisations = [
        u for u in await conn.fetch(UNIT_ROWS_SQL, list(ids)) if unit_kind(u) == "grassroots"
    ]
    if not organisations:
        return
    ids = [u["unit_id"] for u in organisations]
    children = await conn.fetch(CHILDREN_SQL, ids, year)
    unprepared = [c["unit_id"] for c in children if not c["prepared"]]
    if unprepared:
        await _derive_cells(conn, await conn.fetch(UNIT_ROWS_SQL, unprepared), year, book)
        children = await conn.fetch(CHILDREN_SQL, ids, year)
    below: dict[str, list[Any]] = defaultdict(list)
    for child in children:
        below[child["parent_id"]].append(child)
    appraisals = {
        r["unit_id"]: r
        for r in await conn.fetch(
            "SELECT * FROM unit_appraisals WHERE year = $1 AND unit_id = ANY ($2::text[])",
            year,
            ids,
        )
    }
    rules = book.for_year(year).collective
    rows = []
    for unit in organisations:
        mine = below[unit["unit_id"]]
        appraisal = appraisals.get(unit["unit_id"])
        record = collective_year(
            unit,
            "grassroots",
            year,
            [],
            tuple(c["level"] for c in mine),
            sum(1 for c in mine if c["disciplined"]),
            appraisal,
        )
        proposal = rate_collective(record, rules)
        disciplined = bool(appraisal is not None and appraisal["disciplined"])
        rows.append(
            (
                unit["unit_id"],
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


def _unit_row(u: UnitAssessment, year: int) -> tuple[Any, ...]:
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
