"""The composition root: settings → runtime (pool, NATS, stream, relay) → the boundary
(permissions, places, command and query handlers) → app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

from fastapi import FastAPI

from chibo_chassis.auth import Boundary, fields_of, verifier_from
from chibo_chassis.http import ReadAudit, audit_handler, create_app
from chibo_chassis.runtime import ServiceRuntime
from chibo_chassis.subject_export import KeyedStore, ReadPersonalData, personal_data_handler
from chibo_kernel.clock import VIETNAM
from chibo_kernel.domain import Repository
from chibo_kernel.keyring import Keyring

from .adapters import audit_subjects
from .adapters.directory import Directory, ReadModelDirectory
from .adapters.import_job_store import PostgresImportJobStore
from .adapters.own_read_models import OWN_READ_MODELS
from .adapters.personal_data import PERSONAL_DATA
from .adapters.places import Places, ReadModelPlaces
from .adapters.retention import assignment_retention
from .application import handlers, queries
from .application.import_jobs import ImportJobs
from .application.loading import Loader
from .application.member_import import MemberImport
from .application.repository import assignment_repository
from .domain import commands as c
from .entrypoints.http import routers
from .permissions import PERMISSIONS
from .settings import AssignmentSettings

SERVICE = "assignment"


def boundary(
    repository: Repository,
    places: Places,
    *,
    directory: Directory | None = None,
    imports: ImportJobs | None = None,
    reads: queries.Reads | None = None,
    store: Callable[[], KeyedStore] | None = None,
    keys: Callable[[], Keyring] | None = None,
) -> Boundary[Places]:
    """The service's commands and queries behind its permissions table, on any store: the
    running service gives it PostgreSQL, its read models and the import jobs (kept in its
    database, `PostgresImportJobStore`); a test or a tool may give it the in-memory store
    and `AggregatePlaces` (commands only: the queries and the member import read the read
    models; jobs in memory: `MemoryImportJobStore`). `keys`: the keyring an erasure
    destroys a member's key in (without it, no erasure)."""
    wired: dict[type, Callable[[Any], Awaitable[Any]]] = handlers.bind(
        Loader(repository, directory), imports, keys
    )
    if reads is not None:
        wired |= queries.bind(reads)
    if store is not None:
        audit = PERMISSIONS[ReadAudit].permission
        wired[ReadAudit] = audit_handler(audit_subjects.resolve, store, audit)
    if store is not None and reads is not None:
        pool = reads.pool
        wired[ReadPersonalData] = personal_data_handler(
            PERSONAL_DATA, store, lambda: pool().acquire()
        )
    return Boundary(PERMISSIONS, lambda: places, wired)


def build(settings: AssignmentSettings) -> tuple[FastAPI, ServiceRuntime]:
    """Raises ConfigurationError when sign-in cannot be verified (no JWKS URL or secret)."""
    verifier = verifier_from(settings)

    async def erase_expired(member_id: str, today: date) -> None:
        """The retention policy's erasure of a former member (once the bus exists)."""
        await bus.run(c.EraseMember(member_id=member_id, basis="retention_expired", today=today))

    runtime = ServiceRuntime(
        SERVICE,
        settings,
        own_read_models=OWN_READ_MODELS,
        retention=assignment_retention(erase_expired),
    )
    repository = assignment_repository(lambda: runtime.store)

    async def may_register(command: c.RegisterMember) -> bool:
        """A member import's row, asked as the registration it is (once the bus exists)."""
        return await bus.permits(c.RegisterMember, fields_of(command))

    imports = ImportJobs(
        lambda: MemberImport(
            repository, runtime.pool, today=datetime.now(VIETNAM).date(), permits=may_register
        ),
        PostgresImportJobStore(lambda: runtime.pool),
        stale_after=settings.import_job_stale_seconds,
    )
    bus = boundary(
        repository,
        ReadModelPlaces(lambda: runtime.pool, imports.place_of),
        directory=ReadModelDirectory(lambda: runtime.pool),
        imports=imports,
        reads=queries.Reads(lambda: runtime.pool, imports),
        store=lambda: runtime.store,
        keys=lambda: runtime.store.keyring,
    )
    app = create_app(
        title="chibo assignment service",
        version="0.1.0",
        description="Organisation tree, members, households and yearly assignment plans "
        "(phân công nhiệm vụ cho đảng viên). Every /v1 route needs a bearer token; who may "
        "do what, where: docs/authorization.md.",
        metrics=runtime.metrics,
        checks=runtime.checks(),
        verifier=verifier,
        routers=routers(bus),
        lifespan=runtime.lifespan,
        idempotency=lambda: runtime.store,
        access_log=runtime.access_log,
    )
    return app, runtime
