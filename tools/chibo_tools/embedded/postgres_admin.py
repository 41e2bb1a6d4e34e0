"""Administration over SQL of the embedded or an external PostgreSQL: a database and role
per service, and a readiness probe."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

_T = TypeVar("_T")
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def service_role(service: str) -> str:
    """Role and database name of a service: chibo_<service>, dashes as underscores."""
    return _identifier(f"chibo_{service.replace('-', '_')}")


def answers(url: str, timeout: float = 2.0) -> bool:
    """True if the server at url accepts a connection and answers SELECT 1."""

    async def probe() -> bool:
        try:
            conn = await asyncpg.connect(_plain(url), timeout=timeout)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return False  # refused, or "the database system is starting up"
        try:
            return bool(await conn.fetchval("SELECT 1") == 1)
        finally:
            await conn.close()

    return _run(probe)


def create_database(
    admin_url: str, name: str, owner: str | None = None, *, password: str | None = None
) -> str:
    """Create database `name` (and LOGIN role `owner`) unless they exist; return its URL.

    The URL connects as `owner` (with `password`, if given), or with the admin URL's
    credentials when there is no owner.
    """
    return _create_database(admin_url, name, owner, password=password, private=False)


def ensure_service_database(admin_url: str, service: str, *, password: str | None = None) -> str:
    """Idempotently create role and database chibo_<service>, owned by that role.

    Other roles lose CONNECT on it (database per service); superusers keep access.
    """
    role = service_role(service)
    return _create_database(admin_url, role, role, password=password, private=True)


def ensure_service_databases(admin_url: str, services: Sequence[str]) -> dict[str, str]:
    """`ensure_service_database` for each service, concurrently (each CREATE DATABASE waits
    on its own WAL fsync, ~0.2 s apiece); their URLs by service."""
    # An external server with password auth needs passwords for the service roles too; a
    # well-known one (the role name) is fine for a development server.
    with_password = urlsplit(admin_url).password is not None

    def ensure(service: str) -> str:
        password = service_role(service) if with_password else None
        return ensure_service_database(admin_url, service, password=password)

    with ThreadPoolExecutor(max_workers=max(1, len(services))) as pool:
        return dict(zip(services, pool.map(ensure, services), strict=True))


def _create_database(
    admin_url: str, name: str, owner: str | None, *, password: str | None, private: bool
) -> str:
    database = _identifier(name)
    role = _identifier(owner) if owner is not None else None

    async def work(conn: Any) -> None:
        if role is not None:
            await _ensure_role(conn, role, password)
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
            owner_clause = f" OWNER {_quote(role)}" if role is not None else ""
            # Someone may create it concurrently: same outcome, so not an error.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f"CREATE DATABASE {_quote(database)}{owner_clause}")
        if private:
            await conn.execute(f"REVOKE CONNECT ON DATABASE {_quote(database)} FROM PUBLIC")

    _run(lambda: _with_connection(admin_url, work))
    if role is None:
        return _with_database(admin_url, database)
    return _with_database(admin_url, database, user=role, password=password)


async def _ensure_role(conn: Any, role: str, password: str | None) -> None:
    # Postgres has no CREATE ROLE IF NOT EXISTS.
    password_clause = f" PASSWORD {_literal(password)}" if password is not None else ""
    if await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role):
        if password is not None:
            await conn.execute(f"ALTER ROLE {_quote(role)} LOGIN{password_clause}")
        return
    with contextlib.suppress(asyncpg.DuplicateObjectError):
        await conn.execute(f"CREATE ROLE {_quote(role)} LOGIN{password_clause}")


async def _with_connection(url: str, work: Callable[[Any], Awaitable[None]]) -> None:
    conn = await asyncpg.connect(_plain(url), timeout=10)
    try:
        await work(conn)
    finally:
        await conn.close()


def _run(make_coroutine: Callable[[], Awaitable[_T]]) -> _T:
    """Run a coroutine on a private event loop in a worker thread.

    Works whether or not the calling thread already runs a loop (pytest-asyncio, services).
    """

    async def main() -> _T:
        return await make_coroutine()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chibo-pg-admin") as pool:
        return pool.submit(asyncio.run, main()).result()


def _identifier(name: str) -> str:
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} is not a simple lower-case SQL identifier (a-z, 0-9, _)")
    return name


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _plain(url: str) -> str:
    """asyncpg only accepts postgresql://; drop a SQLAlchemy driver suffix like +asyncpg."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+", 1)[0]))


def _with_database(
    url: str, database: str, *, user: str | None = None, password: str | None = None
) -> str:
    """url pointing at another database, optionally with other credentials."""
    parts = urlsplit(_plain(url))
    userinfo, _, hostport = parts.netloc.rpartition("@")
    if user is not None:
        userinfo = quote(user, safe="")
        if password is not None:
            userinfo += ":" + quote(password, safe="")
    netloc = f"{userinfo}@{hostport}" if userinfo else hostport
    return urlunsplit(parts._replace(netloc=netloc, path="/" + quote(database, safe="")))
