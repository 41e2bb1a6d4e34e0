"""Counting what JetStream acknowledged of a published batch.

The checkpoint may only move over an unbroken run of PubAcks from the batch's start: a later
ack after a missing one proves nothing about the gap, so everything past the first failure
is cancelled and published again in a later round.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from nats.js.api import PubAck


class PublishIncomplete(Exception):
    def __init__(self, acked: int, total: int, cause: BaseException | None) -> None:
        super().__init__(f"{acked}/{total} events acked: {cause!r}")
        self.cause = cause


def contiguous_acks(
    futures: Sequence[asyncio.Future[PubAck]], cause: BaseException | None
) -> tuple[int, BaseException | None]:
    """How many leading publishes were acked; the rest are cancelled and retried later."""
    acked = 0
    for future in futures:
        if not future.done() or future.cancelled() or future.exception() is not None:
            if cause is None and future.done() and not future.cancelled():
                cause = future.exception()
            break
        acked += 1
    for future in futures[acked:]:
        future.cancel()
    return acked, cause
