"""What a retention run removes, one category at a time, and the categories every service
has: the access log of personal data reads, parked messages replayed long ago, and foreign
messages purged from the stream long ago.

A category counts what is past its period (`due`, for a dry run and the progress line) and
removes it (`apply`) in short transactions, reporting each batch; it reports counts only,
never a value. Rows younger than the period are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

import asyncpg

from .policy import RetentionPolicy

BATCH = 1000  # rows per transaction: short locks, a crash loses at most one batch's work
Removed = Callable[[int], None]  # told after each batch how many it removed


class Category(Protocol):
    """One kind of personal data with its period; `today` is the day in Vietnam."""

    name: str

    async def due(self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date) -> int:
        """How many rows (or people) are past their period now."""
        ...

    async def apply(
        self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date, removed: Removed
    ) -> int:
        """Remove what is past its period; returns how many."""
        ...


class PersonalDataReads:
    """The access log (k0007): only its own function deletes, never less than two years."""

    name = "personal_data_reads"
    _DUE = (
        "SELECT count(*) FROM personal_data_reads"
        " WHERE read_at < now() - make_interval(years => $1)"
    )
    _EXPIRE = "SELECT personal_data_reads_expire(make_interval(years => $1))"
    # One statement deletes all that is due; the first run after a long pause may take more
    # than the serving pool's statement deadline.
    _DEADLINE = "SET LOCAL statement_timeout = '15min'"

    async def due(self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date) -> int:
        found: int = await conn.fetchval(self._DUE, policy.personal_data_reads.keep_years)
        return found

    async def apply(
        self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date, removed: Removed
    ) -> int:
        async with conn.transaction():
            await conn.execute(self._DEADLINE)
            count: int = await conn.fetchval(
                self._EXPIRE, policy.personal_data_reads.keep_years, timeout=15 * 60 + 1
            )
        removed(count)
        return count


class _DatedRows:
    """Rows deleted in batches once `column` is older than the section's `keep_days`; the
    outer condition is checked again on the row it deletes, so a row replayed-then-parked
    again meanwhile (its date reset) stays."""

    name: str
    table: str
    column: str

    def _keep_days(self, policy: RetentionPolicy) -> int:
        raise NotImplementedError

    def _past(self) -> str:
        return f"{self.column} < now() - make_interval(days => $1)"

    async def due(self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date) -> int:
        query = f"SELECT count(*) FROM {self.table} WHERE {self._past()}"
        found: int = await conn.fetchval(query, self._keep_days(policy))
        return found

    async def apply(
        self, conn: asyncpg.Connection, policy: RetentionPolicy, today: date, removed: Removed
    ) -> int:
        delete = (
            f"DELETE FROM {self.table} WHERE id = ANY(ARRAY("
            f"SELECT id FROM {self.table} WHERE {self._past()} ORDER BY id LIMIT $2))"
            f" AND {self._past()}"
        )
        total = 0
        while True:
            status = await conn.execute(delete, self._keep_days(policy), BATCH)
            count = int(status.split()[-1])
            total += count
            if count:
                removed(count)
            if count < BATCH:
                return total


class ParkedMessages(_DatedRows):
    """Parked messages (their bodies may name people) replayed more than N days ago; open
    ones wait for an operator whatever their age."""

    name = "parked_messages"
    table = "parked_messages"
    column = "replayed_at"

    def _keep_days(self, policy: RetentionPolicy) -> int:
        return policy.parked_messages.keep_days


class QuarantinedMessages(_DatedRows):
    """The relay's records of foreign messages purged from the stream more than N days ago."""

    name = "quarantined_messages"
    table = "relay_quarantine"
    column = "purged_at"

    def _keep_days(self, policy: RetentionPolicy) -> int:
        return policy.quarantined_messages.keep_days


def kernel_categories() -> list[Category]:
    return [PersonalDataReads(), ParkedMessages(), QuarantinedMessages()]
