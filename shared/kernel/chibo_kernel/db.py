"""Database handles: SQLAlchemy (with Alembic) for the schema, asyncpg for the hot paths.

Measured here: SQLAlchemy Core async tops out near 2.4k inserts/s on 8 connections (client
CPU), raw asyncpg near 10k/s. The append, relay and consumer checkpoint use asyncpg.
"""

from __future__ import annotations

import asyncpg

from .pool import LeanPool


def _rest_of(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.startswith(("postgresql", "postgres")):
        raise ValueError(f"not a PostgreSQL URL: {url!r}")
    return rest


def sqlalchemy_url(url: str) -> str:
    """Accept `postgresql://` or `postgresql+asyncpg://` and give SQLAlchemy the asyncpg one.

    A multi-host URL (`user@h1:p1,h2:p2/db?target_session_attrs=read-write`, asyncpg's and
    libpq's form, for a primary and its standbys) is one SQLAlchemy cannot parse: its hosts
    move to `host=` query parameters, which its asyncpg dialect hands on as lists."""
    rest = _rest_of(url)
    netloc, slash, tail = rest.partition("/")
    userinfo, at, hosts = netloc.rpartition("@")
    if "," not in hosts:
        return f"postgresql+asyncpg://{rest}"
    path, _, query = tail.partition("?")
    params = "&".join([*(f"host={h}" for h in hosts.split(",")), *([query] if query else [])])
    return f"postgresql+asyncpg://{userinfo}{at}{slash}{path}?{params}"


def asyncpg_url(url: str) -> str:
    return f"postgresql://{_rest_of(url)}"


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb/json as text both ways: the store passes JSON through without re-parsing it.
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=str, decoder=str, schema="pg_catalog")


# The client waits this much past the server's statement timeout before giving up on a
# statement itself: a live server cancels first (and the connection stays usable); only a
# server that does not answer at all (frozen, partitioned) is left to the client's deadline.
CLIENT_GRACE_SECONDS = 1.0


async def create_pool(
    url: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    connect_timeout: float = 10.0,
    statement_timeout: float | None = None,
    acquire_timeout: float | None = None,
) -> LeanPool:
    """The kernel's connection pool: see `pool.py` for why it is not asyncpg's.

    `statement_timeout` bounds every statement (PostgreSQL's own, and the client's a second
    later); None leaves statements unbounded, as operator jobs (rebuilds, imports,
    migrations) want: the serving runtime passes its settings' deadlines.
    `acquire_timeout` bounds the wait for a connection, free or new."""
    dsn = asyncpg_url(url)
    server_settings: dict[str, str] = {}
    command_timeout = None
    if statement_timeout is not None:
        server_settings["statement_timeout"] = str(max(1, round(statement_timeout * 1000)))
        command_timeout = statement_timeout + CLIENT_GRACE_SECONDS

    async def connect() -> asyncpg.Connection:
        conn = await asyncpg.connect(
            dsn,
            timeout=connect_timeout,
            command_timeout=command_timeout,
            server_settings=server_settings,
        )
        await _init_connection(conn)
        return conn

    pool = LeanPool(connect, max_size, acquire_timeout=acquire_timeout)
    await pool.warm(min_size)
    return pool
