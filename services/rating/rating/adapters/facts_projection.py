"""Projecting the assignment and attendance events into the facts of one generation.

Runs inside the kernel consumer's batch transaction. Each event becomes one or two
statements (`assignment_facts.py`, `attendance_facts.py`); consecutive events that need the
same statement go to the server as one `executemany`, which keeps stream order (a member's
transfer never overtakes their registration) and makes a replay of a bulk command (a
branch's reports of a month, a sheet of marks) a handful of round trips instead of one per
row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import asyncpg

from chibo_kernel.consumer import ReceivedEvent

from .assignment_facts import ASSIGNMENT_BULK, ASSIGNMENT_STATEMENTS
from .attendance_facts import ATTENDANCE_BULK, ATTENDANCE_STATEMENTS
from .fact_statements import Statement, StatementTable, flush, table_of
from .facts_schema import checked
from .touched import Touched

STATEMENTS: StatementTable = {**ASSIGNMENT_STATEMENTS, **ATTENDANCE_STATEMENTS}
BULK = {**ASSIGNMENT_BULK, **ATTENDANCE_BULK}


class FactsProjection:
    """The kernel Projection for one generation's schema. After the facts, it marks the
    (unit, year) whose ratings the batch may change, or, while the consumers catch up, only
    the years; `on_marked` wakes the derivation."""

    def __init__(
        self,
        schema: str,
        first_year: int,
        on_marked: Callable[[], None] = lambda: None,
        catching_up: Callable[[], bool] = lambda: False,
    ) -> None:
        self.schema = checked(schema)
        self.first_year = first_year
        self.on_marked = on_marked
        self.catching_up = catching_up

    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None:
        """Each table's statements in stream order, consecutive identical ones as one
        executemany. Tables are written one after the other: every statement reads and
        writes its own table only, so only the order within a table matters."""
        await conn.execute(f"SET LOCAL search_path TO {self.schema}, public")
        by_table: dict[str, list[Statement]] = {}
        catching_up = self.catching_up()
        touched = Touched(self.first_year, years_only=catching_up)
        for received in events:
            make = STATEMENTS.get(type(received.event))
            if make is None:
                continue  # a type these facts do not need
            touched.add(received.event)
            for sql, args in make(received.event):
                by_table.setdefault(table_of(sql), []).append((sql, args))
        for statements in by_table.values():
            run_sql, run = statements[0][0], list[tuple[Any, ...]]()
            for sql, args in statements:
                if sql != run_sql:
                    await flush(conn, run_sql, run, BULK)
                    run_sql, run = sql, []
                run.append(args)
            await flush(conn, run_sql, run, BULK)
        if catching_up:
            await touched.mark_years(conn)  # every unit of those years is marked later
        else:
            await touched.mark(conn)
        self.on_marked()
