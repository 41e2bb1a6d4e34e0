"""Alembic environment: async engine, URL handed in by `chibo_kernel.migrations.upgrade`."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from chibo_kernel.db import sqlalchemy_url
from chibo_kernel.store.schema import metadata

config = context.config


# Replicas started together (a first deploy, an init container per pod) each run
# `migrate`: one at a time, the others then find the schema current.
_MIGRATION_LOCK = 0x636869626F  # "chibo"


def _run(connection: Connection) -> None:
    # Held until the migration transaction ends, whether it commits or fails.
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


async def _main() -> None:
    engine = create_async_engine(sqlalchemy_url(config.attributes["database_url"]))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; give a database URL")
asyncio.run(_main())
