"""The data keys this process has opened, for a short while.

An append of a private event for a person whose key is cached costs no round trip. The
time to live bounds how long another instance's `destroy` stays unseen here (the erasure
itself is immediate in the table, and this instance's own `destroy` evicts at once).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Final

from .cipher import DataKey


class _Erased:
    def __repr__(self) -> str:
        return "ERASED"


ERASED: Final = _Erased()  # the subject's key was destroyed
Entry = DataKey | _Erased

DEFAULT_TTL_SECONDS = 20.0
DEFAULT_CAPACITY = 10_000


class KeyCache:
    def __init__(
        self, ttl_seconds: float = DEFAULT_TTL_SECONDS, capacity: int = DEFAULT_CAPACITY
    ) -> None:
        self._ttl = ttl_seconds
        self._capacity = capacity
        self._entries: OrderedDict[str, tuple[float, Entry]] = OrderedDict()

    def get(self, subject: str) -> Entry | None:
        found = self._entries.get(subject)
        if found is None:
            return None
        expires, entry = found
        if expires <= time.monotonic():
            del self._entries[subject]
            return None
        self._entries.move_to_end(subject)
        return entry

    def put(self, subject: str, entry: Entry) -> None:
        self._entries[subject] = (time.monotonic() + self._ttl, entry)
        self._entries.move_to_end(subject)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)

    def evict(self, subject: str) -> None:
        self._entries.pop(subject, None)
