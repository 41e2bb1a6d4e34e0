"""Settling a batch with JetStream once its transaction has committed: each message is
acked, nak'ed with a delay or terminated as its outcome says.

Kept apart from the loop so that the one place deciding what JetStream hears stays small
enough to check against the gate's verdicts at a glance.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Sequence

from nats.aio.msg import Msg

from ..logging import get_logger
from .batch import Outcome
from .gate import Verdict
from .received import Incoming

log = get_logger("chibo.consumer")
OUTCOME_KEYS = ("applied", "skipped", "duplicate", "retried", "parked")


async def settle(messages: Sequence[Msg], outcomes: Sequence[Outcome]) -> dict[str, int]:
    """Tell JetStream each message's fate, in order; returns how many met each fate."""
    counts = dict.fromkeys(OUTCOME_KEYS, 0)
    for msg, outcome in zip(messages, outcomes, strict=True):
        if outcome.verdict is Verdict.WAIT:
            await msg.nak(delay=outcome.delay)
        elif outcome.verdict is Verdict.PARK:
            await msg.term()
        else:
            await msg.ack()
        key = "skipped" if outcome.skipped else outcome.verdict.value
        counts[key] += 1
    return counts


def log_parked(consumer: str, incoming: Sequence[Incoming], outcomes: Sequence[Outcome]) -> None:
    for message, outcome in zip(incoming, outcomes, strict=True):
        if outcome.verdict is Verdict.PARK:
            env = message.envelope
            log.warning(
                "message parked; list and replay it once the cause is fixed",
                consumer=consumer,
                stream_seq=message.stream_seq,
                event_id=str(env.id) if env else None,
                event_type=env.type if env else None,
                stream_id=message.stream_id,
                problem=message.problem or message.unreadable,
            )


async def quietly(awaitable: Awaitable[object]) -> None:
    # Best effort: if this fails the batch is redelivered later and the gate dedupes it.
    with contextlib.suppress(Exception):
        await awaitable
