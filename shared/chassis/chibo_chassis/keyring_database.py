"""The province's keyring for a service: its data keys in the database that
`CHIBO_KEYRING_DATABASE_URL` names (every service the same), else in its own.

Sharing one keyring is what makes an erasure whole: destroying a person's key once leaves
every service's copy of their data unreadable, the private events each one stores and the
published events on the streams, which consumers open with the same keys.

Kept apart from the service's database, the keyring gets a small pool of its own, with the
same deadlines; an outage of it is told apart (`chibo_dependency_up{dependency="keyring"}`,
503 with Retry-After to a request that needs a key, a consumer batch held) and leaves the
service ready: every replica shares it, so taking them out of service would mend nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from chibo_kernel.db import create_pool
from chibo_kernel.keyring import MasterKey, PostgresKeyring
from chibo_kernel.keyring.schema import ensure_keyring_table_now
from chibo_kernel.outages import KEYRING, DependencyStatus
from chibo_kernel.pool import LeanPool

from .health import Check, Degraded, database_check, reported
from .settings import KernelSettings

# Keys are cached (20 s) and read a batch at a time: a few connections are plenty.
KEYRING_POOL_SIZE = 4


async def open_keyring(
    settings: KernelSettings,
    own_pool: LeanPool,
    master: MasterKey,
    *,
    serving: bool = True,
) -> tuple[PostgresKeyring, LeanPool | None]:
    """The service's keyring, and the pool opened for it (None: it reads `own_pool`). A
    serving process opens no connection yet, so it starts while the keyring database is
    away (the keys it needs then answer 503); operator commands (`serving=False`) have
    no statement deadline, as for their own database."""
    url = settings.keyring_database_url
    if url is None or url == settings.database_url:
        return PostgresKeyring(own_pool, master), None
    pool = await create_pool(
        url,
        min_size=0,
        max_size=KEYRING_POOL_SIZE if serving else 2,
        connect_timeout=settings.db_connect_timeout_seconds,
        statement_timeout=settings.db_statement_timeout_seconds if serving else None,
        acquire_timeout=settings.db_acquire_timeout_seconds if serving else None,
    )
    return PostgresKeyring(pool, master, own_database=False), pool


@asynccontextmanager
async def command_keyring(
    database_url: str, keyring_url: str | None
) -> AsyncIterator[PostgresKeyring | None]:
    """For an operator command on the service's database (`import`, `rebuild`): the
    province's keyring under `$CHIBO_MASTER_KEY` where the keys live apart; None where they
    live in that database (the store then makes its own, on the command's pool)."""
    if keyring_url is None or keyring_url == database_url:
        yield None
        return
    pool = await create_pool(keyring_url, min_size=0, max_size=2)
    try:
        yield PostgresKeyring(pool, MasterKey.from_environment(), own_database=False)
    finally:
        await pool.close()


def keyring_check(status: DependencyStatus, pool: LeanPool) -> Check:
    """Readiness: `degraded` while the keyring database is away, never `not ready`."""

    async def check() -> None:
        try:
            await reported(status, KEYRING, database_check(pool))
        except Exception as exc:
            raise Degraded(f"the keyring database is unreachable: {exc!r}") from exc

    return check


def migrate_keyring(settings: KernelSettings) -> None:
    """For a service's `migrate` step: `data_keys` in the keyring database, when the keys
    live there (in the service's own database, migration k0006 made it)."""
    url = settings.keyring_database_url
    if url is not None and url != settings.database_url:
        ensure_keyring_table_now(url)
