"""Which (unit, year) an event may change the ratings of, marked stale in the transaction
that applies it, so the derivation prepares them again.

A mark is cheap and may be generous: deriving a unit whose rows did not change writes the
same rows. A missed mark would leave a wrong figure, so an event marks every branch it
names, every branch its members belonged to in the years it concerns, and, for the events
that carry only an id (a plan, a problem), the branch that id was filed under. A period
(a membership since 2010, an exemption) concerns every later year, but marks only the years
already prepared: a year nobody has read yet is prepared by its first read, or by the
plans, reports and meetings that date it.

What an event touches is read by `touched.py`, and the statements writing the marks are in
`staleness_sql.py`; here are the marks made outside the projection: a rating input's, in
every generation, and every unit of the years noted while catching up, or of all years.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from .facts_schema import READ_MODEL, schema_of
from .staleness_sql import MARK_ALL_SQL, YEARS_TO_MARKS_SQL
from .touched import Touched


async def mark_all(conn: asyncpg.Connection, first_year: int) -> int:
    """Every unit in every year anything is prepared or recorded for: after a rule-file
    change, or a generation made by a release that prepared nothing."""
    status = await conn.execute(MARK_ALL_SQL, first_year)
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
        "SELECT generation FROM consumed_read_models WHERE name = $1 "
        "AND state IN ('active', 'building') ORDER BY generation FOR SHARE",
        READ_MODEL,
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
