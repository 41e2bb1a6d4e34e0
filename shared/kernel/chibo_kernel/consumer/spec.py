"""How a durable consumer is configured. Names are versioned: the server keeps part of a
durable consumer's configuration immutable, so a changed config gets a new name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy


class ConsumerConfigConflict(Exception):
    """The server holds a durable consumer of this name with another configuration."""


class StreamMissing(Exception):
    """The stream to consume has not been declared yet: its owning service has not started."""


@dataclass(frozen=True)
class ConsumerSpec:
    name: str
    stream: str
    filter_subjects: Sequence[str]
    # Deliveries after which a failing message is parked. The server's own max_deliver is
    # higher by `crash_slack`, so redeliveries caused by crashes never make the server give
    # up on a message before we have parked it.
    max_deliver: int = 5
    crash_slack: int = 5
    backoff_seconds: Sequence[float] = field(default=(0.5, 2.0, 5.0, 15.0, 30.0))
    # Short, because a crashed consumer's unacknowledged batch comes back only after it;
    # a batch held up by the database keeps its messages with in-progress acks meanwhile.
    ack_wait_seconds: float = 10.0
    batch_size: int = 256
    fetch_timeout_seconds: float = 1.0
    max_ack_pending: int = 8192
    unknown_types: Literal["skip", "park"] = "skip"
    # How often the durable consumer is looked up on the server (deleted or changed ones are
    # recreated from the checkpoint) and the lag measured.
    watch_seconds: float = 2.0

    def __post_init__(self) -> None:
        if self.max_deliver < 1:
            raise ValueError("max_deliver must be at least 1")
        if not self.filter_subjects:
            raise ValueError("a consumer needs at least one filter subject")

    @property
    def gap_delay(self) -> float:
        """How long an event waits for its aggregate's missing predecessor before it is
        offered again. A predecessor missing after a crash is still pending on the server
        and comes back within ack_wait, so waiting a whole ack_wait per delivery means an
        event is parked as "never arrived" only after (max_deliver - 1) ack_waits, long after
        any crash's redelivery, and never while its predecessor is merely in flight."""
        return self.ack_wait_seconds

    def delay_after(self, deliveries: int) -> float:
        index = min(max(deliveries, 1), len(self.backoff_seconds)) - 1
        return self.backoff_seconds[index]

    def server_config(self, start_seq: int | None = None) -> ConsumerConfig:
        """From the stream's start, or (recreated from a checkpoint) from `start_seq`."""
        from_start = start_seq is None or start_seq <= 1
        return ConsumerConfig(
            name=self.name,
            durable_name=self.name,
            deliver_policy=DeliverPolicy.ALL if from_start else DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=None if from_start else start_seq,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait_seconds,
            max_deliver=self.max_deliver + self.crash_slack,
            filter_subjects=list(self.filter_subjects),
            max_ack_pending=self.max_ack_pending,
        )


def drift(spec: ConsumerSpec, found: ConsumerConfig) -> str | None:
    """How a durable consumer on the server differs from what the spec needs, or None.
    Where it starts may differ (a recreated one starts at its checkpoint), as long as it
    starts no later than that: the caller checks the start."""
    wanted = spec.server_config()
    if found.deliver_policy not in (DeliverPolicy.ALL, DeliverPolicy.BY_START_SEQUENCE):
        return f"delivers {found.deliver_policy}"
    pairs = {
        "filter_subjects": (
            sorted(found.filter_subjects or [found.filter_subject or ""]),
            sorted(wanted.filter_subjects or []),
        ),
        "ack_policy": (found.ack_policy, wanted.ack_policy),
        "ack_wait": (found.ack_wait, wanted.ack_wait),
        "max_deliver": (found.max_deliver, wanted.max_deliver),
        "max_ack_pending": (found.max_ack_pending, wanted.max_ack_pending),
    }
    changed = [
        f"{key} {have!r} (wanted {want!r})" for key, (have, want) in pairs.items() if have != want
    ]
    return "; ".join(changed) or None
