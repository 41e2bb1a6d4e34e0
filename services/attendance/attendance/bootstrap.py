"""The composition root: settings → runtime (pool, NATS, own stream, relay, the roster
consumer) → the boundary (permissions, places, handlers and queries) → app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from chibo_chassis.auth import Boundary, verifier_from
from chibo_chassis.http import ReadAudit, audit_handler, create_app
from chibo_chassis.runtime import ServiceRuntime
from chibo_contracts.assignment import REGISTRY as ASSIGNMENT_EVENTS
from chibo_kernel.consumer import EventConsumer
from chibo_kernel.domain import Repository

from .adapters import audit_subjects
from .adapters.places import Places
from .adapters.projection import project
from .adapters.roster_projection import roster_consumer_spec, roster_projection
from .application import handlers, queries
from .application.loading import Loader, utc_now
from .application.queries.reading import Reads
from .domain.events import REGISTRY
from .entrypoints.http import routers
from .permissions import PERMISSIONS
from .settings import AttendanceSettings

SERVICE = "attendance"


def roster_consumer(runtime: ServiceRuntime) -> EventConsumer:
    return EventConsumer(
        roster_consumer_spec(runtime.settings.consumer_batch_size),
        pool=runtime.pool,
        broker=runtime.broker,
        registry=ASSIGNMENT_EVENTS,
        projection=roster_projection(),
        metrics=runtime.metrics,
    )


def build(
    settings: AttendanceSettings,
    clock: Callable[[], datetime] = utc_now,
) -> tuple[FastAPI, ServiceRuntime]:
    """Commands and queries are authorised by `permissions.py` (docs/authorization.md).
    Raises ConfigurationError when the settings give no way to verify sign-in tokens."""
    verifier = verifier_from(settings)
    runtime = ServiceRuntime(SERVICE, settings, consumers=[roster_consumer])
    repository = Repository(lambda: runtime.store, REGISTRY, project=project)
    places = Places(lambda: runtime.pool)
    # A query keeping only the rows the principal may see asks the boundary, row by row.
    reads = Reads(lambda: runtime.pool, lambda kind: bus.rows_for(kind))
    bus = Boundary(
        PERMISSIONS,
        lambda: places,
        {
            **handlers.bind(Loader(repository, lambda: runtime.pool, clock)),
            **queries.bind(reads),
            ReadAudit: audit_handler(
                audit_subjects.resolver(lambda: runtime.pool),
                lambda: runtime.store,
                PERMISSIONS[ReadAudit].permission,
            ),
        },
    )
    app = create_app(
        title="chibo attendance service",
        version="0.1.0",
        description="Branch meetings, attendance and guests from higher committees "
        "(sinh hoạt chi bộ, điểm danh, cấp ủy viên cấp trên dự sinh hoạt).",
        metrics=runtime.metrics,
        checks=runtime.checks(),
        verifier=verifier,
        routers=routers(bus),
        lifespan=runtime.lifespan,
    )
    return app, runtime
