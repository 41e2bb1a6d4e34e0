"""Data keys in memory, for the in-memory event store of domain tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from .base import Keyring, KeyRow
from .cache import KeyCache
from .master import MasterKey


class InMemoryKeyring(Keyring):
    def __init__(self, master: MasterKey | None = None, cache: KeyCache | None = None) -> None:
        super().__init__(master or MasterKey.generate(), cache)
        self._rows: dict[str, KeyRow] = {}

    async def _read(self, subjects: Sequence[str], conn: Any) -> list[KeyRow]:
        return [self._rows[s] for s in subjects if s in self._rows]

    async def _create(self, wrapped: dict[str, bytes]) -> list[KeyRow]:
        for subject, key in wrapped.items():
            self._rows.setdefault(subject, KeyRow(subject, key, self.master.id, None))
        return [self._rows[s] for s in wrapped]

    async def _erase(self, subject: str) -> datetime:
        row = self._rows.get(subject)
        if row is not None and row.destroyed_at is not None:
            return row.destroyed_at
        now = datetime.now(UTC)
        self._rows[subject] = KeyRow(subject, None, row.master_key_id if row else None, now)
        return now
