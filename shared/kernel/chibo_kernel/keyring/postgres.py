"""Data keys in PostgreSQL (table `data_keys`): in the service's own database (migration
k0006), or in the province's keyring database that every service shares (`schema`).

Keys are made in autocommit, before the append that needs them: an append that fails then
leaves an unused key, never a cached key without its row.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from ..outages import KeyringUnavailable, outage_of
from ..pool import LeanPool
from .base import Keyring, KeyRow
from .cache import KeyCache
from .master import MasterKey

_COLUMNS = "subject_id, wrapped_key, master_key_id, destroyed_at"
_READ = f"SELECT {_COLUMNS} FROM data_keys WHERE subject_id = ANY($1::text[])"
# One round trip for new and known subjects alike: the rows inserted here, then the rows
# that were there before the statement (its snapshot cannot see its own inserts, so none
# comes twice). A row committed by another writer during the statement is in neither; it
# is read again afterwards.
_CREATE = f"""
WITH inserted AS (
    INSERT INTO data_keys (subject_id, wrapped_key, master_key_id)
    SELECT subject_id, wrapped_key, $3 FROM unnest($1::text[], $2::bytea[])
        AS wanted (subject_id, wrapped_key)
    ON CONFLICT (subject_id) DO NOTHING
    RETURNING {_COLUMNS})
SELECT {_COLUMNS} FROM inserted
UNION ALL
SELECT {_COLUMNS} FROM data_keys WHERE subject_id = ANY($1::text[])
"""
# The row stays, with no key: the erasure is on record and blocks any new key.
_ERASE = """
INSERT INTO data_keys AS k (subject_id, wrapped_key, master_key_id, destroyed_at)
VALUES ($1, NULL, NULL, now())
ON CONFLICT (subject_id) DO UPDATE
   SET wrapped_key = NULL, destroyed_at = coalesce(k.destroyed_at, now())
RETURNING destroyed_at
"""


class PostgresKeyring(Keyring):
    def __init__(
        self,
        pool: LeanPool,
        master: MasterKey,
        cache: KeyCache | None = None,
        *,
        own_database: bool = True,
    ) -> None:
        """`own_database`: False when `pool` reaches the province's keyring database rather
        than the service's own: a caller's connection (to its own database) is then never
        used to read keys, and an outage is raised as `KeyringUnavailable`."""
        super().__init__(master, cache)
        self._pool = pool
        self.own_database = own_database

    @classmethod
    def from_environment(cls, pool: LeanPool) -> PostgresKeyring:
        """Under `$CHIBO_MASTER_KEY`; a ConfigurationError when it is missing or malformed."""
        return cls(pool, MasterKey.from_environment())

    async def _read(self, subjects: Sequence[str], conn: Any) -> list[KeyRow]:
        if not self.own_database or conn is None:
            conn = self._pool
        async with self._outage_named():
            rows = await conn.fetch(_READ, list(subjects))
        return [_row(r) for r in rows]

    async def _create(self, wrapped: dict[str, bytes]) -> list[KeyRow]:
        subjects = list(wrapped)
        async with self._outage_named():
            made = await self._pool.fetch(_CREATE, subjects, list(wrapped.values()), self.master.id)
        rows = [_row(r) for r in made]
        late = set(subjects) - {row.subject_id for row in rows}
        if late:
            rows += await self._read(sorted(late), None)
        return rows

    async def _erase(self, subject: str) -> datetime:
        async with self._outage_named():
            erased_at: datetime = await self._pool.fetchval(_ERASE, subject)
        return erased_at

    @asynccontextmanager
    async def _outage_named(self) -> AsyncIterator[None]:
        try:
            yield
        except Exception as exc:
            if self.own_database or outage_of(exc) is None:
                raise
            raise KeyringUnavailable(f"the keyring database: {exc!r}") from exc


def _row(record: Any) -> KeyRow:
    wrapped = record["wrapped_key"]
    return KeyRow(
        record["subject_id"],
        bytes(wrapped) if wrapped is not None else None,
        record["master_key_id"],
        record["destroyed_at"],
    )
