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

    def server_config(self) -> ConsumerConfig:
        return ConsumerConfig(
            name=self.name,
            durable_name=self.name,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait_seconds,
            max_deliver=self.max_deliver + self.crash_slack,
            filter_subjects=list(self.filter_subjects),
            max_ack_pending=self.max_ack_pending,
        )
