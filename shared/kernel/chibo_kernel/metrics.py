"""The kernel's Prometheus metrics, in base units, labels of bounded cardinality only.

One `KernelMetrics` per process, on its own registry, so tests and several services in one
process never collide on the global default registry. That registry also carries the
process's CPU, memory, file descriptors and garbage collection (`process_*`, `python_*`),
which the default registry would hold but a service's own does not get by itself.
"""

from __future__ import annotations

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)

from .outages import DependencyStatus


class KernelMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        if r is not REGISTRY:  # the global default registry has these already
            ProcessCollector(registry=r)
            PlatformCollector(registry=r)
            GCCollector(registry=r)
        self.events_appended = Counter(
            "chibo_events_appended_total", "Events appended to the event store", registry=r
        )
        self.append_conflicts = Counter(
            "chibo_append_conflicts_total",
            "Appends refused because the stream's version had moved",
            registry=r,
        )
        self.relay_published = Counter(
            "chibo_relay_published_total", "Events published by the relay and acked", registry=r
        )
        self.relay_errors = Counter(
            "chibo_relay_errors_total",
            "Relay publish rounds that failed and were retried",
            registry=r,
        )
        self.relay_lag_events = Gauge(
            "chibo_relay_lag_events", "Committed events not yet acked by JetStream", registry=r
        )
        self.relay_lag_seconds = Gauge(
            "chibo_relay_lag_seconds",
            "Age of the oldest committed event not yet acked by JetStream",
            registry=r,
        )
        self.relay_quarantined = Counter(
            "chibo_relay_quarantined_total",
            "Messages found on the service's own stream that its event store did not write",
            registry=r,
        )
        self.relay_quarantine_open = Gauge(
            "chibo_relay_quarantined_messages",
            "Quarantined foreign messages not yet purged from the stream",
            registry=r,
        )
        self.consumer_processed = Counter(
            "chibo_consumer_messages_total",
            "Messages settled by a consumer, by outcome",
            ["consumer", "outcome"],
            registry=r,
        )
        self.consumer_lag = Gauge(
            "chibo_consumer_lag_messages",
            "Messages of the consumer's subjects not yet applied (JetStream's pending and "
            "unacknowledged counts of a durable consumer checked against the checkpoint); "
            "NaN while unknown",
            ["consumer", "stream"],
            registry=r,
        )
        self.consumer_lag_seconds = Gauge(
            "chibo_consumer_lag_seconds",
            "Age (now minus ce-time) of the newest event in the consumer's last applied batch "
            "while messages are still pending; 0 once caught up",
            ["consumer", "stream"],
            registry=r,
        )
        self.consumer_recreated = Counter(
            "chibo_consumer_recreated_total",
            "Durable consumers found deleted or changed on the server and recreated from the "
            "checkpoint",
            ["consumer"],
            registry=r,
        )
        self.consumer_redeliveries = Counter(
            "chibo_consumer_redeliveries_total",
            "Messages received with a delivery count above one",
            ["consumer"],
            registry=r,
        )
        self.consumer_parked = Gauge(
            "chibo_consumer_parked_messages",
            "Messages parked for an operator and not yet replayed",
            ["consumer"],
            registry=r,
        )
        self.consumer_parked_total = Counter(
            "chibo_consumer_parked_total", "Messages ever parked", ["consumer"], registry=r
        )
        self.consumer_handler_errors = Counter(
            "chibo_consumer_handler_errors_total",
            "Events whose projection handler raised (each attempt; retried, then parked)",
            ["consumer"],
            registry=r,
        )
        self.dependency_up = Gauge(
            "chibo_dependency_up",
            "1 while the readiness check of a dependency (database, nats, keyring) passes, else 0",
            ["dependency"],
            registry=r,
        )
        self.dependencies = DependencyStatus(self.dependency_up)
        self.read_model_outdated = Gauge(
            "chibo_read_model_outdated",
            "1 while the service's own read models were built by an older projection version "
            "than the running code's (they serve, but need a rebuild)",
            ["read_model"],
            registry=r,
        )
        self.personal_data_reads = Counter(
            "chibo_personal_data_reads_total",
            "Reads of members' personal data written to the access log (personal_data_reads)",
            ["service"],
            registry=r,
        )
        self.personal_data_top_reader = Gauge(
            "chibo_personal_data_top_reader_subjects",
            "The most distinct members whose personal data one principal has read from this "
            "process in the current clock hour (capped)",
            ["service"],
            registry=r,
        )
        self.retention_removed = Counter(
            "chibo_retention_removed_total",
            "Rows deleted, texts emptied or former members erased by the retention policy",
            ["category"],
            registry=r,
        )
        self.retention_last_success = Gauge(
            "chibo_retention_last_success_timestamp_seconds",
            "When the retention policy last ran to the end on the service's database (Unix "
            "time, from table retention_runs; the database's creation until a first run)",
            ["service"],
            registry=r,
        )
        self.consumer_batch_seconds = Histogram(
            "chibo_consumer_batch_duration_seconds",
            "Time to apply one fetched batch, database commit included",
            ["consumer"],
            registry=r,
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
