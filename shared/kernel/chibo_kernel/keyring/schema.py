"""The province's keyring database: where every service's data keys live together.

A service keeps `data_keys` in its own database by default (kernel migration k0006). With
`CHIBO_KEYRING_DATABASE_URL`, every service reads and writes the table in one database
instead, so that erasing a person (one `destroy`) reaches every service's copy of their
data: the private events each one stores and the published events on the streams.

That database belongs to no service's migrations (each has its own Alembic history), so
each service's `migrate` step applies the table here itself: the statement is the one of
k0006, made idempotent, and taken under an advisory lock so that services migrating at
the same moment do not race on the catalogue.
"""

from __future__ import annotations

import asyncio

import asyncpg

from ..db import asyncpg_url

KEYRING_DATABASE_VARIABLE = "CHIBO_KEYRING_DATABASE_URL"

# The same table as migration k0006 (the service's own database keeps that one).
CREATE_DATA_KEYS = """
CREATE TABLE IF NOT EXISTS data_keys (
    subject_id text PRIMARY KEY,
    wrapped_key bytea,
    master_key_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    destroyed_at timestamptz,
    CONSTRAINT data_keys_destroyed_has_no_key
        CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL)),
    CONSTRAINT data_keys_key_names_its_master
        CHECK (wrapped_key IS NULL OR master_key_id IS NOT NULL))
"""
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('chibo keyring schema'))"
CONNECT_SECONDS = 10.0


async def ensure_keyring_table(database_url: str) -> None:
    """`data_keys` in the keyring database, made if it is not there; changes nothing else."""
    conn = await asyncpg.connect(asyncpg_url(database_url), timeout=CONNECT_SECONDS)
    try:
        async with conn.transaction():
            await conn.execute(_LOCK)
            await conn.execute(CREATE_DATA_KEYS)
    finally:
        await conn.close()


def ensure_keyring_table_now(database_url: str) -> None:
    """For `migrate` commands, which run outside any event loop."""
    asyncio.run(ensure_keyring_table(database_url))
