"""Which version of its projection built each read model: `read_model_versions`.

A read model whose row is older than the code's version still serves (its tables have the
same shape: migrations change shapes, not projections), but what the new code would have
written differently is missing until it is rebuilt; the service says so at start and on
`chibo_read_model_outdated`.
"""

from __future__ import annotations

import asyncpg

from ..pool import LeanPool

_RECORD = """
INSERT INTO read_model_versions (name, version, events, built_at) VALUES ($1, $2, $3, now())
ON CONFLICT (name) DO UPDATE
   SET version = excluded.version, events = excluded.events, built_at = excluded.built_at
"""
# A new database's read models are built by the running code from its first event.
_ADOPT = """
INSERT INTO read_model_versions (name, version) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING
"""


async def record_version(conn: asyncpg.Connection, name: str, version: int, events: int) -> None:
    await conn.execute(_RECORD, name, version, events)


async def built_version(pool: LeanPool, name: str, current: int) -> int:
    """The version that built `name`; a read model never recorded is taken as current."""
    await pool.execute(_ADOPT, name, current)
    return int(await pool.fetchval("SELECT version FROM read_model_versions WHERE name = $1", name))
