"""The rating service's own Prometheus metrics, on the kernel's registry of the process."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class RatingMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.units_waiting = Gauge(
            "chibo_rating_units_waiting",
            "Units (per year) whose prepared ratings wait to be derived again",
            ["generation"],
            registry=registry,
        )
        self.derivation_errors = Counter(
            "chibo_rating_derivation_errors_total",
            "Derivations of prepared ratings that failed and will be retried",
            ["generation"],
            registry=registry,
        )
