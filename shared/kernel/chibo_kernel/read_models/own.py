"""Rebuilding a service's own read models from its event store while the old ones serve.

A service's own read models are written in the append's transaction (`InlineProjection`),
so they never disagree with the events, until the projection's code changes or a table is
damaged. The rebuild:

1. copies each table's shape into a work schema (`LIKE … INCLUDING ALL`: columns, defaults,
   checks, indexes) and replays, in the relay's order (tx_id, position), every event
   visible in a snapshot, with the work schema first on the search path, so the
   projection's unqualified SQL writes there while the service keeps writing the old tables;
2. repeats for what committed since the last snapshot until that tail is small;
3. holds appends back (`SHARE ROW EXCLUSIVE` on `events` lets the relay and readers on),
   replays the last tail and swaps the tables into `public` in the same transaction.

Commands wait only for that last step (a fraction of a second on a small tail); queries
never see a half-built table. Two rebuilds of one read model never overlap (an advisory
lock), so instances may each offer the command.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import asyncpg

from ..events import EventRegistry
from ..keyring import Keyring, PostgresKeyring
from ..logging import get_logger
from ..pool import LeanPool
from ..store import InlineProjection
from ..store.erasure import decode_stored
from ..store.recorded import StreamAppend
from ..store.sealing import KeySource, open_rows
from .schemas import prepare_work_schema, swap_tables
from .versions import record_version

log = get_logger("chibo.read_models")

PAGE = 2000
SMALL_TAIL = 500  # events left for the step that holds appends back
LOCK_TIMEOUT = "10s"  # waiting longer for long readers would hold commands back too long

# What committed by snapshot $1 and not by $2, after the keyset ($3, $4). The snapshots
# decide, not the reading transaction's, so pages read in separate statements agree.
_SINCE = """
  FROM events
 WHERE pg_visible_in_snapshot(tx_id, $1::text::pg_snapshot)
   AND ($2::text IS NULL OR tx_id >= pg_snapshot_xmin($2::text::pg_snapshot))
   AND ($2::text IS NULL OR NOT pg_visible_in_snapshot(tx_id, $2::text::pg_snapshot))
"""
_PAGE = f"""
SELECT tx_id::text AS tx, position, stream_id, version, event_type, data, metadata {_SINCE}
   AND (tx_id, position) > ($3::text::xid8, $4::bigint)
 ORDER BY tx_id, position LIMIT $5
"""
_COUNT = f"SELECT count(*) {_SINCE}"


@dataclass(frozen=True)
class OwnReadModels:
    """A service's own read models: the tables its inline projection writes, and the
    projection's version. Raise `version` whenever the projection's output changes, then
    rebuild: the service warns while the tables are older than the code."""

    name: str
    version: int
    tables: tuple[str, ...]
    project: InlineProjection
    registry: EventRegistry


@dataclass(frozen=True)
class Rebuilt:
    name: str
    version: int
    events: int
    seconds: float
    held_seconds: float  # how long appends waited for the last step


class AlreadyRebuilding(RuntimeError):
    """Another process is rebuilding this read model."""


Progress = Callable[[int, int], None]  # events replayed, events known so far


async def rebuild_own(
    pool: LeanPool,
    spec: OwnReadModels,
    progress: Progress | None = None,
    keyring: Keyring | None = None,
) -> Rebuilt:
    """`keyring` opens private events' personal fields (see `store.sealing`); by default
    this database's, under `$CHIBO_MASTER_KEY`, made when a page first holds one."""
    started = time.monotonic()
    made: list[Keyring] = [keyring] if keyring is not None else []

    def keys() -> Keyring:
        if not made:
            made.append(PostgresKeyring.from_environment(pool))
        return made[0]

    work, retired = f"rebuild_{spec.name}", f"retired_{spec.name}"
    async with pool.acquire() as conn:
        if not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", work):
            raise AlreadyRebuilding(spec.name)
        try:
            await prepare_work_schema(conn, spec.tables, work)
            replayed, snapshot = 0, None
            while True:  # catch up without holding anyone back
                newer = await conn.fetchval("SELECT pg_current_snapshot()::text")
                count = await _replay(conn, spec, keys, work, newer, snapshot, replayed, progress)
                replayed, snapshot = replayed + count, newer
                if count <= SMALL_TAIL:
                    break
            held = time.monotonic()
            async with conn.transaction():
                await conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                await conn.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
                last = await conn.fetchval("SELECT pg_current_snapshot()::text")
                replayed += await _replay(conn, spec, keys, work, last, snapshot)
                await swap_tables(conn, spec.tables, work, retired)
                await record_version(conn, spec.name, spec.version, replayed)
            held_seconds = time.monotonic() - held
            await conn.execute(f"DROP SCHEMA IF EXISTS {retired} CASCADE")
            await conn.execute(f"DROP SCHEMA IF EXISTS {work} CASCADE")
        finally:
            await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", work)
    rebuilt = Rebuilt(spec.name, spec.version, replayed, time.monotonic() - started, held_seconds)
    log.info("read models rebuilt", **rebuilt.__dict__)
    return rebuilt


async def _replay(
    conn: asyncpg.Connection,
    spec: OwnReadModels,
    keys: KeySource,
    work: str,
    snapshot: str,
    after: str | None,
    done: int = 0,
    progress: Progress | None = None,
) -> int:
    """The events visible in `snapshot` and not in `after`, one transaction per page."""
    total = await conn.fetchval(_COUNT, snapshot, after) if progress else 0
    applied, tx, position = 0, "0", 0
    while page := await conn.fetch(_PAGE, snapshot, after, tx, position, PAGE):
        if conn.is_in_transaction():  # the last step's: appends are held back already
            await _project(conn, spec, keys, work, page)
        else:
            async with conn.transaction():
                await _project(conn, spec, keys, work, page)
        applied += len(page)
        tx, position = page[-1]["tx"], page[-1]["position"]
        if progress is not None:
            progress(done + applied, done + total)
    return applied


async def _project(
    conn: asyncpg.Connection,
    spec: OwnReadModels,
    keys: KeySource,
    work: str,
    rows: Sequence[asyncpg.Record],
) -> None:
    stored = [(row["event_type"], _text(row["data"]), row["metadata"]) for row in rows]
    # On the rebuild's own connection: the operator's pool may hold just this one.
    opened = await open_rows(keys, stored, conn)
    appends = [
        StreamAppend(
            row["stream_id"],
            row["version"] - 1,
            [decode_stored(spec.registry, row["event_type"], o.data, o.erased)],
        )
        for row, o in zip(rows, opened, strict=True)
    ]
    await conn.execute(f"SET LOCAL search_path TO {work}, public")
    try:
        await spec.project(conn, appends)
    finally:
        await conn.execute("SET LOCAL search_path TO public")


def _text(data: object) -> str:
    return data if isinstance(data, str) else json.dumps(data)
