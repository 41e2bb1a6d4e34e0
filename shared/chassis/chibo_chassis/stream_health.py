"""What readiness adds once NATS answers: the stream's fence and the consumers' state.

Neither takes the service out of rotation (every replica shares them, and none would be
repaired by it); both show in `/health/ready` as "degraded" with the reason, and in the
metrics the alerts read.
"""

from __future__ import annotations

from collections.abc import Sequence

from chibo_kernel.consumer import EventConsumer
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.pool import LeanPool
from chibo_kernel.relay.quarantine import count_open

from .health import Degraded


async def stream_notices(
    service: str,
    pool: LeanPool,
    stream: str,
    consumers: Sequence[EventConsumer],
    metrics: KernelMetrics,
) -> None:
    reasons = [f"consumer {c.spec.name}: {c.problem}" for c in consumers if c.problem]
    try:
        foreign = await count_open(pool, stream)
    except Exception:  # the database check reports an outage
        foreign = 0
    else:
        metrics.relay_quarantine_open.set(foreign)
    if foreign:
        reasons.insert(
            0,
            f"{foreign} foreign message(s) quarantined on {stream}: "
            f"chibo-{service} relay quarantine list",
        )
    if reasons:
        raise Degraded("; ".join(reasons))
