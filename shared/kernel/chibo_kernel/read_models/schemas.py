"""The work schema a read model is rebuilt in, and the swap that puts it in service.

Queries and projections name tables without a schema; a rebuild writes the same names in
a schema of its own (first on its search path) and, once complete, moves them into
`public` in one transaction while the old ones move out."""

from __future__ import annotations

import re
from collections.abc import Sequence

import asyncpg


async def prepare_work_schema(conn: asyncpg.Connection, tables: Sequence[str], work: str) -> None:
    await conn.execute(f"DROP SCHEMA IF EXISTS {work} CASCADE")  # a failed run's leftover
    await conn.execute(f"CREATE SCHEMA {work}")
    for table in tables:
        await conn.execute(f"CREATE TABLE {work}.{table} (LIKE public.{table} INCLUDING ALL)")
    await _keep_index_names(conn, tables, work)


_INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2"
_NAME_AND_SCHEMA = re.compile(r"^(CREATE (?:UNIQUE )?INDEX )\S+ ON \S+?\.")


async def _keep_index_names(conn: asyncpg.Connection, tables: Sequence[str], work: str) -> None:
    """`LIKE` names the copied indexes afresh; later migrations drop or alter them by their
    names, so each takes the name of the index it copies (matched on its definition)."""
    for table in tables:
        originals = {
            _NAME_AND_SCHEMA.sub(r"\1", r["indexdef"]): r["indexname"]
            for r in await conn.fetch(_INDEXES, "public", table)
        }
        copies = await conn.fetch(_INDEXES, work, table)
        for i, copy in enumerate(copies):  # through temporary names: two may trade theirs
            await conn.execute(f'ALTER INDEX {work}."{copy["indexname"]}" RENAME TO tmp_{i}')
        for i, copy in enumerate(copies):
            name = originals.get(_NAME_AND_SCHEMA.sub(r"\1", copy["indexdef"]), copy["indexname"])
            await conn.execute(f'ALTER INDEX {work}.tmp_{i} RENAME TO "{name}"')


async def swap_tables(
    conn: asyncpg.Connection, tables: Sequence[str], work: str, retired: str
) -> None:
    """Inside the caller's transaction: the serving tables move to `retired`, the rebuilt
    ones into `public`. Statements prepared on other connections are planned again by
    PostgreSQL on their next use and find the new tables under the same names."""
    await conn.execute(f"DROP SCHEMA IF EXISTS {retired} CASCADE")
    await conn.execute(f"CREATE SCHEMA {retired}")
    for table in tables:
        await conn.execute(f"ALTER TABLE public.{table} SET SCHEMA {retired}")
        await conn.execute(f"ALTER TABLE {work}.{table} SET SCHEMA public")
