"""Telling an outage of PostgreSQL or NATS from a defect, and keeping the up/down state of
each dependency that `chibo_dependency_up` shows.

An outage (refused, reset, not answering before a deadline, no responders) is answered
`503` with `Retry-After` and logged once when the dependency goes down and once when it is
back; a defect keeps its traceback. The state changes as soon as anything meets the outage
(a request, a probe), not only at the next periodic check.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType

import asyncpg
import nats.errors
import nats.js.errors
from prometheus_client import Gauge

from .logging import get_logger
from .pool import SESSION_LOST, DatabaseUnavailable, PoolClosed

log = get_logger("chibo.dependencies")

DATABASE, NATS = "database", "nats"
KEYRING = "keyring"  # the province's keyring database, where it is not the service's own


class KeyringUnavailable(DatabaseUnavailable):
    """The keyring database, kept apart from the service's own, is away: told apart from
    an outage of the service's database so that the right one is marked down."""


_DATABASE_OUTAGES: tuple[type[BaseException], ...] = (
    DatabaseUnavailable,  # no connection in time: refused, frozen, saturated
    PoolClosed,  # the service is stopping
    asyncpg.PostgresConnectionError,  # the connection broke mid-statement
    asyncpg.OperatorInterventionError,  # statement timeout, shutdown, starting up
    asyncpg.InsufficientResourcesError,  # no connection slot, disk full, out of memory
    asyncpg.ReadOnlySQLTransactionError,  # a write met a standby: a failover under way
)
_NATS_OUTAGES: tuple[type[BaseException], ...] = (
    nats.errors.NoRespondersError,
    nats.errors.TimeoutError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionDrainingError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.NoServersError,
    nats.errors.StaleConnectionError,
    nats.errors.OutboundBufferLimitError,
    nats.js.errors.ServiceUnavailableError,
)
# A bare timeout or socket error counts when it was raised inside the client library: the
# asyncpg client's own statement deadline raises a plain TimeoutError.
_BARE = (TimeoutError, ConnectionError)
_ORIGINS = (("asyncpg.", DATABASE), ("nats.", NATS))


@dataclass(frozen=True)
class Outage:
    dependency: str  # "database", "nats" or "keyring"
    reason: str


def outage_of(exc: BaseException) -> Outage | None:
    """The outage behind an exception (or what it was raised from), None for a defect."""
    for error in _chain(exc):
        if isinstance(error, KeyringUnavailable):
            return Outage(KEYRING, _reason(error.__cause__ or error))
        if isinstance(error, _NATS_OUTAGES):
            return Outage(NATS, _reason(error))
        if isinstance(error, _DATABASE_OUTAGES):
            return Outage(DATABASE, _reason(error))
        if isinstance(error, SESSION_LOST) and _session_closed(error):
            return Outage(DATABASE, _reason(error))
        if isinstance(error, _BARE):
            origin = _origin(error.__traceback__)
            if origin is not None:
                return Outage(origin, _reason(error))
    return None


def _session_closed(error: BaseException) -> bool:
    """asyncpg's client errors mean an outage only when the connection was lost under them:
    its protocol left mid-message, or a closed connection used."""
    if isinstance(error, asyncpg.InternalClientError):
        return "another operation" in str(error)
    if isinstance(error, asyncpg.InterfaceError):
        return "connection is closed" in str(error) or "connection was closed" in str(error)
    return False


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending = [exc]
    while pending and len(seen) < 32:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        if isinstance(error, BaseExceptionGroup):
            pending.extend(error.exceptions)
        for linked in (error.__cause__, error.__context__):
            if linked is not None:
                pending.append(linked)


def _origin(tb: TracebackType | None) -> str | None:
    """Which client library raised it: the innermost frame of ours or theirs decides."""
    found = None
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        for prefix, dependency in _ORIGINS:
            if module.startswith(prefix):
                found = dependency
        tb = tb.tb_next
    return found


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class DependencyStatus:
    """Up or down per dependency; logs a WARNING on each change and sets the gauge."""

    def __init__(self, gauge: Gauge) -> None:
        self._gauge = gauge
        self._down_since: dict[str, float] = {}
        self.lost = asyncio.Event()  # set when one goes down: the watcher re-checks at once

    def is_down(self, dependency: str) -> bool:
        return dependency in self._down_since

    @property
    def any_down(self) -> bool:
        return bool(self._down_since)

    def unreachable(self, dependency: str, reason: str) -> None:
        self._gauge.labels(dependency).set(0)
        if dependency in self._down_since:
            return
        self._down_since[dependency] = time.monotonic()
        self.lost.set()
        log.warning("dependency unreachable", dependency=dependency, reason=reason)

    def reachable(self, dependency: str) -> None:
        self._gauge.labels(dependency).set(1)
        since = self._down_since.pop(dependency, None)
        if since is not None:
            down = round(time.monotonic() - since, 1)
            log.warning("dependency reachable again", dependency=dependency, down_seconds=down)
