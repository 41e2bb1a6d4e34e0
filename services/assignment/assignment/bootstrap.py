"""The composition root: settings → runtime (pool, NATS, stream, relay) → handlers → app."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI

from chibo_kernel.auth import Boundary, verifier_from
from chibo_kernel.http import create_app
from chibo_kernel.runtime import ServiceRuntime

from .adapters.directory import ReadModelDirectory
from .adapters.places import Places
from .application import handlers
from .application.command_groups import Handlers
from .application.import_jobs import ImportJobs
from .application.loading import Loader
from .application.member_import import MemberImport
from .application.repository import assignment_repository
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
    groups = Handlers(repository, directory)
    places = Places(lambda: runtime.pool)
    bus = Boundary(PERMISSIONS, lambda: places, handlers.bind(Loader(repository, directory)))
    imports = ImportJobs(lambda: MemberImport(repository, runtime.pool, today=date.today()))
    app = create_app(
        title="chibo assignment service",
        version="0.1.0",
        description="Organisation tree, members, households and yearly assignment plans "
        "(phân công nhiệm vụ cho đảng viên). Every /v1 route needs a bearer token; who may "
        "do what, where: docs/authorization.md.",
        metrics=runtime.metrics,
        checks=runtime.checks(),
        verifier=verifier,
        routers=routers(bus, groups, lambda: runtime.pool, imports, lambda: runtime.store),
        lifespan=runtime.lifespan,
    )
    return app, runtime
