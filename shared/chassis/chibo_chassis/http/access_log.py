"""The access log of personal data (table `personal_data_reads`, kernel migration k0007): one
row per read, written before the answer leaves, and what auditors ask of it.

One INSERT per read on the service's pool, in autocommit: the reads' own queries run on
connections of their own, so there is no transaction to share, and PostgreSQL already
shares one WAL flush among the commits that arrive together. `bench/access_log.py`
measures the cost on a read route.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chibo_kernel.domain.message import Message
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool

# Counting stops here for one principal in one hour: enough to tell a heavy reader from a
# normal one, bounded memory whoever reads.
TOP_READER_CAP = 20_000

_INSERT = (
    "INSERT INTO personal_data_reads (principal, role, org_scope, route, target, subjects,"
    " purpose, correlation_id, result_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
)
_COLUMNS = (
    "id, read_at, principal, role, org_scope, route, target, subjects, purpose,"
    " correlation_id, result_count"
)


@dataclass(frozen=True)
class PersonalRead:
    principal: str
    role: str
    org_scope: tuple[str, ...]
    route: str  # "GET /v1/members/{member_id}/scorecard/{year}"
    target: str  # the path and query asked
    subjects: Sequence[str]
    purpose: str
    correlation_id: str
    result_count: int


@dataclass(frozen=True)
class ReadPersonalDataReads(Message[list[dict[str, Any]]]):
    """An auditor's question; None leaves a filter out. `before`: the page after the one
    whose last row had this id (the newest rows come first). Its rule (AUDIT, rows kept by
    the subtree) is in each service's permissions table."""

    subject: str | None = None
    principal: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    purpose: str | None = None
    before: int | None = None
    limit: int = 100


class TopReader:
    """The most distinct members one principal has read in the current clock hour, read by
    Prometheus at scrape time (so the value drops when the hour turns, reads or not)."""

    def __init__(self, cap: int = TOP_READER_CAP, clock: Callable[[], float] = time.time) -> None:
        self._cap, self._clock = cap, clock
        self._hour = -1
        self._seen: dict[str, set[str]] = {}
        self._top = 0

    def _turn(self) -> None:
        hour = int(self._clock() // 3600)
        if hour != self._hour:
            self._hour, self._seen, self._top = hour, {}, 0

    def saw(self, principal: str, subjects: Sequence[str]) -> None:
        self._turn()
        seen = self._seen.setdefault(principal, set())
        room = self._cap - len(seen)
        if room > 0:
            seen.update(subjects[:room] if len(subjects) > room else subjects)
            self._top = max(self._top, len(seen))

    def top(self) -> float:
        self._turn()
        return float(self._top)


class AccessLog:
    def __init__(self, service: str, pool: Callable[[], LeanPool], metrics: KernelMetrics) -> None:
        self._pool = pool
        self._reads = metrics.personal_data_reads.labels(service)
        self.top_reader = TopReader()
        metrics.personal_data_top_reader.labels(service).set_function(self.top_reader.top)

    async def record(self, read: PersonalRead) -> None:
        """Raises what the database raises: the read it logs must then fail too."""
        await self._pool().execute(
            _INSERT,
            read.principal,
            read.role,
            list(read.org_scope),
            read.route,
            read.target,
            list(read.subjects),
            read.purpose,
            read.correlation_id,
            read.result_count,
        )
        self._reads.inc()
        self.top_reader.saw(read.principal, read.subjects)

    async def rows(
        self, asked: ReadPersonalDataReads, scope: Sequence[str]
    ) -> list[dict[str, Any]]:
        """The rows asked for, newest first, of reads made by principals inside `scope` (a
        subtree's auditor sees what was read from inside it; the province's sees all)."""
        where: list[str] = []
        args: list[Any] = []

        def condition(sql: str, value: Any) -> None:
            args.append(value)
            where.append(sql.replace("?", f"${len(args)}"))

        if asked.subject is not None:
            condition("subjects @> ARRAY[?::text]", asked.subject)
        if asked.principal is not None:
            condition("principal = ?", asked.principal)
        if asked.since is not None:
            condition("read_at >= ?", asked.since)
        if asked.until is not None:
            condition("read_at < ?", asked.until)
        if asked.purpose is not None:
            condition("purpose = ?", asked.purpose)
        if asked.before is not None:
            condition("id < ?", asked.before)
        if scope:
            condition(f"org_scope[1:{len(scope)}] = ?::text[]", list(scope))
        args.append(asked.limit)
        sql = (
            f"SELECT {_COLUMNS} FROM personal_data_reads"
            f"{' WHERE ' + ' AND '.join(where) if where else ''}"
            f" ORDER BY id DESC LIMIT ${len(args)}"
        )
        return [dict(row) for row in await self._pool().fetch(sql, *args)]
