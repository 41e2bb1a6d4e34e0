"""The composition root: settings → runtime (pool, NATS, stream, relay) → the boundary
(permissions, places, command and query handlers) → app."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI

from chibo_kernel.auth import Boundary, fields_of, verifier_from
from chibo_kernel.http import ReadAudit, audit_handler, create_app
from chibo_kernel.runtime import ServiceRuntime

from .adapters import audit_subjects
from .adapters.directory import ReadModelDirectory
from .adapters.places import Places
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


def build(settings: AssignmentSettings) -> tuple[FastAPI, ServiceRuntime]:
    """Raises ConfigurationError when sign-in cannot be verified (no JWKS URL or secret)."""
    verifier = verifier_from(settings)
    runtime = ServiceRuntime(SERVICE, settings)
    repository = assignment_repository(lambda: runtime.store)
    directory = ReadModelDirectory(lambda: runtime.pool)

    async def may_register(command: c.RegisterMember) -> bool:
        """A member import's row, asked as the registration it is (once the bus exists)."""
        return await bus.permits(c.RegisterMember, fields_of(command))

    imports = ImportJobs(
        lambda: MemberImport(repository, runtime.pool, today=date.today(), permits=may_register)
    )
    places = Places(lambda: runtime.pool, imports.place_of)
    bus = Boundary(
        PERMISSIONS,
        lambda: places,
        {
            **handlers.bind(Loader(repository, directory), imports),
            **queries.bind(queries.Reads(lambda: runtime.pool, imports)),
            ReadAudit: audit_handler(
                audit_subjects.resolve, lambda: runtime.store, PERMISSIONS[ReadAudit].permission
            ),
        },
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
    )
    return app, runtime
