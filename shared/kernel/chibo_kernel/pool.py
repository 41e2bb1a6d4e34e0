"""A lean connection pool for the hot paths.

asyncpg's pool costs 30-55 us of client CPU per acquire and release (a shielded Task per
release); on a single-event append that was half the client's work and capped appends near
0.5x a raw INSERT. This pool hands out idle connections from a deque and parks waiters on
futures. It keeps what matters for safety:
- a connection is reused after an error only if the server reported it about a statement;
  after anything else (I/O, cancellation mid-query, client state errors) it is closed;
- a transaction left open is rolled back before the connection is reused;
- connections open lazily up to `size` and are replaced after failures;
- waiting for a connection (a free one, or a new one opening) has a deadline, so a server
  that refuses, hangs or is saturated answers `DatabaseUnavailable`, not a hung request.
It offers the subset of asyncpg.Pool's API the kernel uses.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

Connect = Callable[[], Awaitable[asyncpg.Connection]]


def _leaves_connection_usable(exc: BaseException) -> bool:
    """Only an error the server reported about a statement leaves the protocol in a known
    state; anything else (I/O, cancellation, client state errors) retires the connection,
    and so does the server ending the session (shut down, crashed, postmaster gone: class
    57P), which asyncpg may report before it has seen the socket close. A cancelled
    statement (a statement timeout) leaves it usable. A write refused as read-only (a
    standby answered) retires it too: the next connection is opened afresh, where the URL's
    `target_session_attrs=read-write` finds the server that takes writes."""
    if isinstance(exc, asyncpg.QueryCanceledError):
        return True
    return isinstance(exc, asyncpg.PostgresError) and not isinstance(
        exc,
        asyncpg.PostgresConnectionError
        | asyncpg.OperatorInterventionError
        | asyncpg.ReadOnlySQLTransactionError,
    )


# What opening a connection raises when the server is away, refuses, is starting or
# stopping, or has no connection slot left: an outage, not a defect in the caller.
_UNREACHABLE: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, unreachable host, name lookup, TimeoutError
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    # A multi-host URL asking for read-write, none of whose hosts takes writes yet (the
    # primary lost, its standby not yet promoted).
    asyncpg.TargetServerAttributeNotMatched,
)


# What a statement raises when its session was ended under it: the server shut down or
# crashed, the socket closed, or asyncpg's protocol was left mid-message by either.
SESSION_LOST: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.InternalClientError,
    asyncpg.InterfaceError,
)


class PoolClosed(Exception):
    pass


class DatabaseUnavailable(ConnectionError):
    """No connection in time: the server refused or did not answer, or every connection
    stayed busy past the acquire deadline."""


class LeanPool:
    def __init__(self, connect: Connect, size: int, acquire_timeout: float | None = None) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one connection")
        self._connect = connect
        self._size = size
        self._acquire_timeout = acquire_timeout
        self._idle: deque[asyncpg.Connection] = deque()
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._open = 0
        self._closed = False

    @property
    def size(self) -> int:
        return self._size

    async def warm(self, count: int) -> None:
        """Open `count` connections now, so the first requests do not pay for them."""
        for _ in range(min(count, self._size) - self._open):
            self._open += 1
            try:
                self._idle.append(await self._connect())
            except BaseException:
                self._open -= 1
                raise

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await self._take()
        broken = False
        try:
            yield conn
        except BaseException as exc:
            broken = not _leaves_connection_usable(exc)
            if isinstance(exc, SESSION_LOST):
                self._drop_idle()
            raise
        finally:
            if not broken and not conn.is_closed() and conn.is_in_transaction():
                try:
                    await conn.execute("ROLLBACK")
                except BaseException:
                    broken = True
            self._give_back(conn, broken)

    async def execute(self, query: str, *args: Any) -> str:
        async with self.acquire() as conn:
            return str(await conn.execute(query, *args))

    async def fetch(self, query: str, *args: Any) -> list[Any]:
        async with self.acquire() as conn:
            return list(await conn.fetch(query, *args))

    async def fetchrow(self, query: str, *args: Any) -> Any:
        async with self.acquire() as conn:
            return await conn.fetchrow(query, *args)

    async def fetchval(self, query: str, *args: Any) -> Any:
        async with self.acquire() as conn:
            return await conn.fetchval(query, *args)

    async def close(self) -> None:
        self._closed = True
        while self._idle:
            conn = self._idle.pop()
            self._open -= 1
            await conn.close(timeout=5)
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(PoolClosed("the pool was closed"))

    async def _take(self) -> asyncpg.Connection:
        # An idle connection is handed out without arming a timer: the hot path stays lean.
        while self._idle and not self._closed:
            conn = self._idle.pop()
            if not conn.is_closed():
                return conn
            self._open -= 1
        if self._acquire_timeout is None:
            return await self._take_now()
        try:
            async with asyncio.timeout(self._acquire_timeout):
                return await self._take_now()
        except TimeoutError as exc:
            raise DatabaseUnavailable(
                f"no database connection within {self._acquire_timeout:g} s"
            ) from exc

    async def _take_now(self) -> asyncpg.Connection:
        while True:
            if self._closed:
                raise PoolClosed("the pool is closed")
            while self._idle:
                conn = self._idle.pop()
                if not conn.is_closed():
                    return conn
                self._open -= 1
            if self._open < self._size:
                self._open += 1
                try:
                    return await self._connect()
                except _UNREACHABLE as exc:
                    self._open -= 1
                    self._wake_one()
                    raise DatabaseUnavailable(f"cannot connect: {exc!r}") from exc
                except BaseException:
                    self._open -= 1
                    self._wake_one()
                    raise
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake_one()  # pass on the turn we were given
                raise

    def _drop_idle(self) -> None:
        """One session lost to the server going away means the idle ones are lost too,
        though asyncpg may not know yet (an idle connection that was sent the server's
        farewell refuses its next statement with "another operation is in progress")."""
        while self._idle:
            self._idle.popleft().terminate()
            self._open -= 1

    def _give_back(self, conn: asyncpg.Connection, broken: bool) -> None:
        if broken or conn.is_closed() or self._closed:
            conn.terminate()
            self._open -= 1
        else:
            self._idle.append(conn)
        self._wake_one()

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
