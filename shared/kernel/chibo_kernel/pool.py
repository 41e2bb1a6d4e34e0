"""A lean connection pool for the hot paths.

asyncpg's pool costs 30-55 us of client CPU per acquire and release (a shielded Task per
release); on a single-event append that was half the client's work and capped appends near
0.5x a raw INSERT. This pool hands out idle connections from a deque and parks waiters on
futures. It keeps what matters for safety:
- a connection is reused after an error only if the server reported it about a statement;
  after anything else (I/O, cancellation mid-query, client state errors) it is closed;
- a transaction left open is rolled back before the connection is reused;
- connections open lazily up to `size` and are replaced after failures.
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
    state; anything else (I/O, cancellation, client state errors) retires the connection."""
    return isinstance(exc, asyncpg.PostgresError) and not isinstance(
        exc, asyncpg.PostgresConnectionError
    )


class PoolClosed(Exception):
    pass


class LeanPool:
    def __init__(self, connect: Connect, size: int) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one connection")
        self._connect = connect
        self._size = size
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
