"""Envelope encryption per data subject: what both keyrings share.

Each person named by an event's `data_subject` gets a data key (32 random bytes, AES-GCM)
on first need, stored wrapped by the master key. `destroy` drops the wrapped key and keeps
the row: the erasure is recorded, and no key is ever made for that person again, so
nothing about them is encrypted under a key that could be recovered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag

from .cache import ERASED, KeyCache
from .cipher import DataKey, new_data_key
from .errors import MissingDataKey, SubjectErased, WrongMasterKey
from .master import MasterKey


@dataclass(frozen=True, slots=True)
class KeyLookup:
    keys: dict[str, DataKey | None]  # None where destroyed
    problems: dict[str, MissingDataKey | WrongMasterKey]  # subjects whose key cannot be read


@dataclass(frozen=True, slots=True)
class KeyRow:
    subject_id: str
    wrapped_key: bytes | None  # None once destroyed
    master_key_id: str | None
    destroyed_at: datetime | None


class Keyring:
    def __init__(self, master: MasterKey, cache: KeyCache | None = None) -> None:
        self.master = master
        self._cache = cache or KeyCache()

    async def for_writing(self, subjects: Collection[str]) -> dict[str, DataKey]:
        """Each subject's key, made and stored first where there is none; SubjectErased
        when one of them was erased."""
        found, missing = self._cached(subjects)
        if missing:
            made = {s: new_data_key() for s in missing}
            wrapped = {s: self.master.wrap(key, s) for s, key in made.items()}
            for row in await self._create(wrapped):
                if row.wrapped_key is not None and row.wrapped_key == wrapped[row.subject_id]:
                    found[row.subject_id] = self._remember(row.subject_id, made[row.subject_id])
                else:  # another writer made it first, or it was erased
                    found[row.subject_id] = self._opened(row)
        for subject, key in found.items():
            if key is None:
                raise SubjectErased(subject)
        return {s: k for s, k in found.items() if k is not None}

    async def for_reading(
        self,
        subjects: Collection[str],
        conn: Any = None,
        known: Mapping[str, KeyRow] | None = None,
    ) -> dict[str, DataKey | None]:
        """Each subject's key, None where it was destroyed. `conn`: a connection the caller
        holds, for a caller that may not take a second one; `known`: rows the caller read
        with its events (current, so they win over the cache)."""
        known = known or {}
        found, missing = self._cached([s for s in subjects if s not in known])
        found |= {s: self._opened(known[s]) for s in subjects if s in known}
        if missing:
            rows = {row.subject_id: row for row in await self._read(missing, conn)}
            for subject in missing:
                if subject not in rows:
                    raise MissingDataKey(subject)
                found[subject] = self._opened(rows[subject])
        return found

    async def look_up(self, subjects: Collection[str]) -> KeyLookup:
        """Each subject's key as `for_reading` gives it, and, instead of raising, why a
        subject's key cannot be read: for a reader that goes on past one person's trouble
        (a consumer parks that person's messages and applies the rest)."""
        found, missing = self._cached(subjects)
        problems: dict[str, MissingDataKey | WrongMasterKey] = {}
        if missing:
            rows = {row.subject_id: row for row in await self._read(missing, None)}
            for subject in missing:
                try:
                    if subject not in rows:
                        raise MissingDataKey(subject)
                    found[subject] = self._opened(rows[subject])
                except (MissingDataKey, WrongMasterKey) as problem:
                    problems[subject] = problem
        return KeyLookup(found, problems)

    async def destroy(self, subject: str) -> datetime:
        """Erase the subject's key, now and for good; returns when it was first erased.
        Idempotent, and valid for a subject that never had a key."""
        erased_at = await self._erase(subject)
        self._cache.put(subject, ERASED)
        return erased_at

    def forget(self, subject: str) -> None:
        """Another process destroyed the subject's key: treat it as erased here at once."""
        self._cache.put(subject, ERASED)

    def _cached(self, subjects: Collection[str]) -> tuple[dict[str, DataKey | None], list[str]]:
        found: dict[str, DataKey | None] = {}
        missing = []
        for subject in subjects:
            entry = self._cache.get(subject)
            if entry is None:
                missing.append(subject)
            else:
                found[subject] = entry if isinstance(entry, DataKey) else None
        return found, missing

    def _opened(self, row: KeyRow) -> DataKey | None:
        if row.wrapped_key is None:
            self._cache.put(row.subject_id, ERASED)
            return None
        if row.master_key_id != self.master.id:
            raise WrongMasterKey(row.subject_id, str(row.master_key_id), self.master.id)
        try:
            raw = self.master.unwrap(row.wrapped_key, row.subject_id)
        except InvalidTag:
            raise WrongMasterKey(row.subject_id, self.master.id, self.master.id) from None
        return self._remember(row.subject_id, raw)

    def _remember(self, subject: str, raw: bytes) -> DataKey:
        key = DataKey(raw)
        self._cache.put(subject, key)
        return key

    # --- storage ----------------------------------------------------------------------

    async def _read(self, subjects: Sequence[str], conn: Any) -> list[KeyRow]:
        raise NotImplementedError

    async def _create(self, wrapped: dict[str, bytes]) -> list[KeyRow]:
        """Store each wrapped key unless its subject has a row; every subject's row."""
        raise NotImplementedError

    async def _erase(self, subject: str) -> datetime:
        raise NotImplementedError
