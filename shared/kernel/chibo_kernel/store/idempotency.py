"""Idempotency keys: a keyed command's events and its answer commit together.

A request that carries an `Idempotency-Key` runs as a keyed command: what it appends is
written, with its inline projections, in the same statement or transaction as its answer,
recorded under (principal, key), when the request has that answer (`postgres_keys.py` says
how, in one round trip for the common single append). So a key is stored exactly when its
events are: a repeat finds either the first answer, or nothing at all (nothing happened,
and the command runs again).

Two requests with the same key at once both run; the second to record finds the first's
row, rolls its own events back and answers the first's answer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from ..logging import get_logger

log = get_logger("chibo.idempotency")

DEFAULT_WINDOW = timedelta(hours=24)
EXPIRY_BATCH = 1000  # rows per delete: short transactions, no long lock on the table


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    """A key as one principal sent it, with the fingerprint of the request it came with
    (method, path, principal and canonical body)."""

    principal: str
    key: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What a keyed request answered, kept to answer its repeats."""

    status: int
    body: bytes
    content_type: str
    fingerprint: str


class KeyedCommand(Protocol):
    async def settle(self, answer: Answer) -> Answer:
        """Record `answer` with the command's events and commit; returns the answer the key
        holds now: this one, or the first if another request with the key got there first
        (this one's events are then rolled back)."""


class IdempotencyLedger(Protocol):
    def keyed(self, key: IdempotencyKey) -> AbstractAsyncContextManager[KeyedCommand]:
        """Run a command under `key` in this task; leaving without `settle` rolls back."""

    async def recorded_answer(self, principal: str, key: str) -> Answer | None:
        """The answer kept for the principal's key, unless it has expired."""

    async def expire(self, limit: int = EXPIRY_BATCH) -> int:
        """Delete up to `limit` expired keys; returns how many were deleted."""


# The keyed command in force: (the store it belongs to, the task running it, the command).
# Tied to the task: a job a request starts inherits the context but must not write into the
# request's transaction.
_in_force: ContextVar[tuple[object, object, Any] | None] = ContextVar(
    "chibo_keyed_command", default=None
)


@contextlib.contextmanager
def in_force(store: object, command: Any) -> Iterator[None]:
    token = _in_force.set((store, asyncio.current_task(), command))
    try:
        yield
    finally:
        _in_force.reset(token)


def keyed_command_of(store: object) -> Any | None:
    """The keyed command this task runs on `store`, if any."""
    found = _in_force.get()
    if found is None or found[0] is not store or found[1] is not asyncio.current_task():
        return None
    return found[2]


async def expire_periodically(
    ledger: IdempotencyLedger, stop: asyncio.Event, every_seconds: float
) -> None:
    """Delete expired keys in batches until none is left, then wait; a failed round (the
    database away) is retried at the next."""
    while not stop.is_set():
        try:
            while await ledger.expire() == EXPIRY_BATCH and not stop.is_set():
                pass
        except Exception as exc:  # the dependency watch reports the outage itself
            log.warning("expiring idempotency keys failed", error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)
