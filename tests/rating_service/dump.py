"""Everything a rating database holds as read models, in a comparable form: the active
generation's facts and prepared ratings and the service's own tables, each sorted. The
marks of units waiting to be derived are work in progress, not a read model: callers
dump once the derivation has caught up."""

from __future__ import annotations

from typing import Any

from chibo_kernel.db import create_pool
from rating.adapters.facts_schema import TABLES_MADE

OWN_TABLES = ["disciplines", "self_assessments", "appraisals", "decisions"]


async def dump_read_models(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    pool = await create_pool(database_url)
    try:
        schema = await pool.fetchval(
            "SELECT 'rm_' || generation FROM consumed_read_models "
            "WHERE name = 'rating-facts' AND state = 'active'"
        )
        found: dict[str, list[tuple[Any, ...]]] = {}
        for table in [f"{schema}.{t}" for t in TABLES_MADE if t != "stale"] + OWN_TABLES:
            rows = await pool.fetch(f"SELECT * FROM {table}")
            found[table.split(".")[-1]] = sorted((tuple(r.values()) for r in rows), key=repr)
        return found
    finally:
        await pool.close()


def differences(
    got: dict[str, list[tuple[Any, ...]]], want: dict[str, list[tuple[Any, ...]]]
) -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    """Per table, the rows only one side has (with a count when a row is doubled)."""
    found = {}
    for table in sorted(set(got) | set(want)):
        mine, theirs = got.get(table, []), want.get(table, [])
        if mine != theirs:
            found[table] = {
                "extra": [r for r in mine if mine.count(r) > theirs.count(r)][:5],
                "missing": [r for r in theirs if theirs.count(r) > mine.count(r)][:5],
            }
    return found
