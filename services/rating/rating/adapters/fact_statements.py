"""What an event becomes in the facts (SQL statements with their arguments) and how a run of
identical statements reaches the server. Shared by the per-source statement tables
(`assignment_facts.py`, `attendance_facts.py`) and the projection that runs them, so
neither table depends on the projection."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

import asyncpg

Statement = tuple[str, tuple[Any, ...]]
StatementTable = dict[type[Any], Callable[[Any], list[Statement]]]
# A statement whose big runs go as one statement over arrays: (that statement, how many
# leading columns are the key).
Bulk = tuple[str, int]

_TABLE = re.compile(r"^(?:INSERT INTO (\w+)|UPDATE (\w+))")


@functools.cache  # a handful of statements, asked for once per event
def table_of(sql: str) -> str:
    match = _TABLE.match(sql)
    assert match is not None, f"a facts statement names its table first: {sql[:40]}"
    return next(g for g in match.groups() if g)


async def flush(
    conn: asyncpg.Connection,
    sql: str,
    rows: list[tuple[Any, ...]],
    bulk: Mapping[str, Bulk],
) -> None:
    if len(rows) == 1:
        await conn.execute(sql, *rows[0])
    elif sql in bulk:
        statement, key = bulk[sql]
        # One statement may not upsert a row twice: the last of a key wins, as in order.
        last = {row[:key]: row for row in rows}
        await conn.execute(statement, *map(list, zip(*last.values(), strict=True)))
    else:
        await conn.executemany(sql, rows)
