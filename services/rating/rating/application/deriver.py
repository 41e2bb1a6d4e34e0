"""The background deriver of one generation: woken by each projected batch, and every
`IDLE_SECONDS` for marks made elsewhere (the service's own inputs, another instance), it
derives stale units chunk by chunk, and publishes how many still wait."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import asyncpg

from chibo_kernel.logging import get_logger
from chibo_kernel.pool import LeanPool

from ..adapters.facts_schema import checked
from ..adapters.metrics import RatingMetrics
from ..adapters.staleness import mark_all, marks_from_years
from ..domain.rule_book import RuleBook
from .queries.derivation import derive_stale

log = get_logger("rating.deriver")

IDLE_SECONDS = 0.5  # how often an idle deriver looks for marks it was not woken for
RETRY_SECONDS = 2.0  # after a failed derivation


async def backlog(pool: LeanPool, schema: str) -> int:
    """Marks waiting, and years noted while catching up (each a year's units to mark)."""
    s = checked(schema)
    return int(
        await pool.fetchval(
            f"SELECT (SELECT count(*) FROM {s}.stale) + (SELECT count(*) FROM {s}.catch_up_years)"
        )
    )


class Deriver:
    """Keeps one generation's prepared ratings up to date."""

    def __init__(
        self,
        pool: LeanPool,
        schema: str,
        book: RuleBook,
        metrics: RatingMetrics,
        behind: Callable[[], Awaitable[bool]],
    ) -> None:
        self._pool, self._schema, self._book = pool, schema, book
        # While its consumers catch up (a rebuild, a start after downtime) every batch marks
        # the same units again: deriving them each time would only slow the catching up.
        self._behind = behind
        self.catching_up = False  # set by each look at the consumers
        self._metrics = metrics
        self._waiting = metrics.units_waiting.labels(schema)
        self._errors = metrics.derivation_errors.labels(schema)
        self.wake = asyncio.Event()

    async def backlog(self) -> int:
        return await backlog(self._pool, self._schema)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.check_rules()
                break
            except (asyncpg.PostgresError, OSError) as exc:
                await self._failed(exc, stop)
        while not stop.is_set():
            try:
                self.catching_up = await self._behind()
                taken = 0
                if not self.catching_up:
                    await self._marks_from_years()
                    taken = await derive_stale(self._pool, self._schema, self._book)
                self._waiting.set(await backlog(self._pool, self._schema))
            except Exception as exc:  # counted, logged, retried: never silent
                await self._failed(exc, stop)
                continue
            if taken:
                continue
            self.wake.clear()
            waiters = [asyncio.ensure_future(e.wait()) for e in (stop, self.wake)]
            await asyncio.wait(waiters, timeout=IDLE_SECONDS, return_when="FIRST_COMPLETED")
            for waiter in waiters:
                waiter.cancel()
        self._metrics.units_waiting.remove(self._schema)  # a retired generation's is gone

    async def _marks_from_years(self) -> None:
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(f"SET LOCAL search_path TO {checked(self._schema)}, public")
            await marks_from_years(conn)

    async def _failed(self, exc: Exception, stop: asyncio.Event) -> None:
        """A database that is away comes back; the marks wait for it. A defect is logged
        with its trace, counted (an alert watches the count) and retried."""
        self._errors.inc()
        log.warning(
            "derivation failed; retrying", error=repr(exc), schema=self._schema, exc_info=True
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), RETRY_SECONDS)

    async def check_rules(self) -> None:
        """Rows prepared under other rule files are prepared again."""
        fingerprint = self._book.fingerprint
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(f"SET LOCAL search_path TO {checked(self._schema)}, public")
            known = await conn.fetchval("SELECT rule_book FROM derived_with")
            if known == fingerprint:
                return
            marked = await mark_all(conn, self._book.first_year)
            await conn.execute("DELETE FROM derived_with")
            await conn.execute("INSERT INTO derived_with VALUES ($1)", fingerprint)
        if known is not None or marked:
            log.warning("rule files changed: ratings derived again", marked=marked)
