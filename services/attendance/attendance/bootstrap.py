"""The composition root: settings → runtime (pool, NATS, own stream, relay, the roster's
generations) → the boundary (permissions, places, handlers and queries, on any store) → app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from chibo_chassis.auth import Boundary, verifier_from
from chibo_chassis.http import ReadAudit, audit_handler, create_app
from chibo_chassis.runtime import ServiceRuntime
from chibo_chassis.subject_export import KeyedStore, ReadPersonalData, personal_data_handler
from chibo_kernel.domain import Repository

from .adapters import audit_subjects
from .adapters.lookups import Lookups, ReadModelLookups
from .adapters.own_read_models import OWN_READ_MODELS
from .adapters.personal_data import PERSONAL_DATA
from .adapters.places import Places
from .adapters.projection import project
from .adapters.roster_read_model import roster_read_model
from .application import handlers, queries
from .application.loading import Loader, utc_now
from .application.queries.reading import Reads
from .domain.events import REGISTRY
from .entrypoints.http import routers
from .permissions import PERMISSIONS
from .settings import AttendanceSettings

SERVICE = "attendance"


def boundary(
    repository: Repository,
    lookups: Lookups,
    *,
    clock: Callable[[], datetime] = utc_now,
    reads: Reads | None = None,
    store: Callable[[], KeyedStore] | None = None,
) -> Boundary[Places]:
    """The service's commands and queries behind its permissions table, on any store: the
    running service gives it PostgreSQL and its read models; a test or a tool may give it
    the in-memory store and `MemoryRoster` (commands only: the queries read the read
    models). The audit trail and the export of a member's data find their subjects in the
    read models, so they are wired when both `reads` and `store` are given."""
    places = Places(lookups)
    wired = handlers.bind(Loader(repository, lookups, clock))
    if reads is not None:
        wired |= queries.bind(reads)
        if store is not None:
            resolve = audit_subjects.resolver(reads.pool_of)
            wired[ReadAudit] = audit_handler(resolve, store, PERMISSIONS[ReadAudit].permission)
            pool = reads.pool_of
            wired[ReadPersonalData] = personal_data_handler(
                PERSONAL_DATA, store, lambda: pool().acquire()
            )
    return Boundary(PERMISSIONS, lambda: places, wired)


def build(
    settings: AttendanceSettings,
    clock: Callable[[], datetime] = utc_now,
) -> tuple[FastAPI, ServiceRuntime]:
    """Commands and queries are authorised by `permissions.py` (docs/authorization.md).
    Raises ConfigurationError when the settings give no way to verify sign-in tokens."""
    verifier = verifier_from(settings)
    runtime = ServiceRuntime(
        SERVICE,
        settings,
        consumed=[roster_read_model(settings.consumer_batch_size)],
        own_read_models=OWN_READ_MODELS,
    )
    repository = Repository(lambda: runtime.store, REGISTRY, project=project)
    # A query keeping only the rows the principal may see asks the boundary, row by row.
    reads = Reads(lambda: runtime.pool, lambda kind: bus.rows_for(kind))
    bus = boundary(
        repository,
        ReadModelLookups(lambda: runtime.pool),
        clock=clock,
        reads=reads,
        store=lambda: runtime.store,
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
        idempotency=lambda: runtime.store,
        access_log=runtime.access_log,
    )
    return app, runtime
