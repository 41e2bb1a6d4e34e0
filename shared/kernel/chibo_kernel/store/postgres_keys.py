"""Idempotency keys on PostgreSQL: the keyed command's write and the key table (migration
k0003).

A command appends once, nearly always, and answers straight after: that append is held
back and written as the command settles, in the same statement as its key and answer, so
the key costs one row, not extra round trips. A second append, or a load after the first,
opens the command's transaction at once (writing the held append into it), so the command
still reads its own writes; the key then goes into that transaction before it commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

import asyncpg

from ..pool import LeanPool
from .base import InlineProjection
from .idempotency import EXPIRY_BATCH, Answer, IdempotencyKey
from .recorded import StreamAppend

_APPEND = "SELECT chibo_append_events($1, $2, $3, $4, $5, $6, $7, $8)"
_COLUMNS = (
    "principal, idempotency_key, fingerprint, status, body, content_type, event_ids, expires_at"
)
# One statement: if either the append or the key is refused, neither is stored.
_APPEND_WITH_KEY = f"""
WITH appended AS (SELECT chibo_append_events($1, $2, $3, $4, $5, $6, $7, $8))
INSERT INTO idempotency_keys ({_COLUMNS})
SELECT $9, $10, $11, $12, $13, $14, $5, now() + $15::interval FROM appended
"""
# The common case, one event to one stream, as the store's plain insert: no event row when
# the stream has moved on (then no key row either), and the function path names the conflict.
_APPEND_ONE_WITH_KEY = f"""
WITH appended AS (
    INSERT INTO events (stream_id, version, event_id, event_type, data, metadata)
    SELECT $1, $2 + 1, $3, $4, $5, $6
     WHERE (SELECT coalesce(max(version), 0) FROM events WHERE stream_id = $1) = $2
    RETURNING event_id)
INSERT INTO idempotency_keys ({_COLUMNS})
SELECT $7, $8, $9, $10, $11, $12, ARRAY[event_id], now() + $13::interval FROM appended
"""
# A live row wins; an expired one is taken over, so an old key may be used again.
_RECORD = f"""
INSERT INTO idempotency_keys AS k ({_COLUMNS})
VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8::interval)
ON CONFLICT (principal, idempotency_key) DO UPDATE
   SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, body = EXCLUDED.body,
       content_type = EXCLUDED.content_type, event_ids = EXCLUDED.event_ids,
       recorded_at = now(), expires_at = EXCLUDED.expires_at
 WHERE k.expires_at <= now()
"""
_FORGET_EXPIRED = """
DELETE FROM idempotency_keys
 WHERE principal = $1 AND idempotency_key = $2 AND expires_at <= now()
"""
_FIND = """
SELECT fingerprint, status, body, content_type FROM idempotency_keys
 WHERE principal = $1 AND idempotency_key = $2 AND expires_at > now()
"""
# ctid batches: each round is one short statement over the expiry index.
_EXPIRE = """
DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT $1))
"""
_RECORDED = "INSERT 0 1"
KEY_CONSTRAINT = "idempotency_keys_pkey"

Translate = Callable[[Exception, Sequence[StreamAppend]], Exception]
Held = tuple[tuple[Any, ...], Sequence[StreamAppend], InlineProjection | None]


async def find_answer(pool: LeanPool, principal: str, key: str) -> Answer | None:
    row = await pool.fetchrow(_FIND, principal, key)
    if row is None:
        return None
    return Answer(row["status"], bytes(row["body"]), row["content_type"], row["fingerprint"])


async def expire_keys(pool: LeanPool, limit: int = EXPIRY_BATCH) -> int:
    status = await pool.execute(_EXPIRE, limit)
    return int(status.rsplit(" ", 1)[-1])


class PostgresKeyedCommand:
    def __init__(
        self,
        pool: LeanPool,
        key: IdempotencyKey,
        window: timedelta,
        *,
        committed: Callable[[int], None],
        translate: Translate,
    ) -> None:
        self._pool = pool
        self._key = key
        self._window = window
        self._committed = committed  # told how many events became visible
        self._translate = translate  # a refused write as the store's named error
        self._stack = AsyncExitStack()
        self._tx: asyncpg.transaction.Transaction | None = None
        self._conn: asyncpg.Connection | None = None
        self._held: Held | None = None
        self._events = 0
        self.event_ids: list[Any] = []

    @property
    def appended(self) -> bool:
        return bool(self.event_ids)

    async def write(
        self,
        args: tuple[Any, ...],
        appends: Sequence[StreamAppend],
        project: InlineProjection | None,
    ) -> None:
        """Hold the command's first append; write any later one in its transaction."""
        if self._conn is None and self._held is None:
            self._held = (args, appends, project)
        else:
            await self._write(await self.connection(), args, appends, project)
        self.event_ids += args[4]
        self._events += len(args[4])

    async def connection(self) -> asyncpg.Connection:
        """The command's transaction, with the held append written into it."""
        if self._conn is None:
            conn = await self._stack.enter_async_context(self._pool.acquire())
            tx = conn.transaction()
            await tx.start()
            self._conn, self._tx = conn, tx
            if self._held is not None:
                held, self._held = self._held, None
                await self._write(conn, *held)
        return self._conn

    async def settle(self, answer: Answer) -> Answer:
        if self._held is not None:
            return await self._settle_held(answer, *self._held)
        key = self._key
        args = (key.principal, key.key, key.fingerprint, answer.status, answer.body)
        record = (*args, answer.content_type, self.event_ids, self._window)
        if self._conn is None or self._tx is None:  # nothing appended: the key alone
            if await self._pool.execute(_RECORD, *record) == _RECORDED:
                return answer
        else:
            recorded = await self._conn.execute(_RECORD, *record) == _RECORDED
            tx, self._tx = self._tx, None
            if recorded:
                await tx.commit()
                self._committed(self._events)
                return answer
            await tx.rollback()
        return await self._first_or(answer)

    async def close(self) -> None:
        """Roll back what was not settled and give the connection back."""
        tx, self._tx = self._tx, None
        try:
            if tx is not None:
                await tx.rollback()
        finally:
            await self._stack.aclose()

    async def _settle_held(
        self,
        answer: Answer,
        args: tuple[Any, ...],
        appends: Sequence[StreamAppend],
        project: InlineProjection | None,
    ) -> Answer:
        key = self._key
        record = (key.principal, key.key, key.fingerprint, answer.status, answer.body)
        statement = (_APPEND_WITH_KEY, *args, *record, answer.content_type, self._window)
        for attempt in range(2):  # the second after forgetting an expired key in the way
            try:
                if project is None and len(appends) == 1 and len(args[4]) == 1:
                    stream, expected, event = args[0][0], args[1][0], [c[0] for c in args[4:]]
                    one = (stream, expected, *event, *statement[9:])
                    if await self._pool.execute(_APPEND_ONE_WITH_KEY, *one) != _RECORDED:
                        await self._pool.execute(*statement)  # raises the named conflict
                elif project is None:
                    await self._pool.execute(*statement)
                else:
                    async with self._pool.acquire() as conn, conn.transaction():
                        await conn.execute(*statement)
                        await project(conn, appends)
            except asyncpg.UniqueViolationError as exc:
                if getattr(exc, "constraint_name", "") != KEY_CONSTRAINT:
                    raise self._translate(exc, appends) from exc
                first = await find_answer(self._pool, key.principal, key.key)
                if first is not None:
                    return first  # another request with the key was first: nothing stored
                if attempt > 0:
                    raise self._translate(exc, appends) from exc
                await self._pool.execute(_FORGET_EXPIRED, key.principal, key.key)
                continue
            except asyncpg.PostgresError as exc:
                raise self._translate(exc, appends) from exc
            self._held = None
            self._committed(self._events)
            return answer
        raise AssertionError("unreachable: the second attempt returns or raises")

    async def _write(
        self,
        conn: asyncpg.Connection,
        args: tuple[Any, ...],
        appends: Sequence[StreamAppend],
        project: InlineProjection | None,
    ) -> None:
        try:
            await conn.execute(_APPEND, *args)
        except asyncpg.PostgresError as exc:
            raise self._translate(exc, appends) from exc
        if project is not None:
            await project(conn, appends)

    async def _first_or(self, answer: Answer) -> Answer:
        """The answer of the request that holds the key; `answer` only if it has just
        expired, which a window of hours makes a theory."""
        first = await find_answer(self._pool, self._key.principal, self._key.key)
        return first if first is not None else answer
