"""What the consumer's metrics learn from a batch: how its messages were settled, how many
handlers failed, and how far behind the stream the consumer is, in events and in seconds.

The loop decides when to report; these decide what the numbers mean, so a dashboard's
reading of "caught up" or "parked" is defined in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from ..metrics import KernelMetrics
from .batch import Outcome


def count_outcomes(
    metrics: KernelMetrics, consumer: str, counts: Mapping[str, int], outcomes: Sequence[Outcome]
) -> None:
    """Counters only: the parked gauge is read back from the database by the caller."""
    for key, value in counts.items():
        if value:
            metrics.consumer_processed.labels(consumer, key).inc(value)
    failures = sum(1 for o in outcomes if o.failed)
    if failures:
        metrics.consumer_handler_errors.labels(consumer).inc(failures)
    if counts["parked"]:
        metrics.consumer_parked_total.labels(consumer).inc(counts["parked"])


def record_lag(
    metrics: KernelMetrics,
    consumer: str,
    stream: str,
    pending: int,
    newest: datetime | None = None,
) -> None:
    """Lag in events, and in seconds: the age of the newest event the consumer reached.

    With nothing pending the consumer is caught up, however old that event is. A batch
    without any decodable event leaves the seconds as they were.
    """
    labels = (consumer, stream)
    metrics.consumer_lag.labels(*labels).set(pending)
    if not pending:
        metrics.consumer_lag_seconds.labels(*labels).set(0)
    elif newest is not None:
        metrics.consumer_lag_seconds.labels(*labels).set(age_seconds(newest))


def age_seconds(time: datetime) -> float:
    """Wall-clock age of an event time, never negative: a producer's clock may run ahead."""
    if time.tzinfo is None:  # a ce-time without an offset: read it as UTC
        time = time.replace(tzinfo=UTC)
    return max(0.0, (datetime.now(UTC) - time).total_seconds())
