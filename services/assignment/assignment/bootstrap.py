"""The composition root: settings → runtime (pool, NATS, stream, relay) → handlers → app."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI

from chibo_kernel.auth import verifier_from
from chibo_kernel.http import create_app
from chibo_kernel.runtime import ServiceRuntime

from .adapters.directory import ReadModelDirectory
from .application.handlers import Handlers
from .application.import_jobs import ImportJobs
from .application.member_import import MemberImport
from .application.repository import assignment_repository
from .entrypoints.http import routers
from .settings import AssignmentSettings

SERVICE = "assignment"


def build(settings: AssignmentSettings) -> tuple[FastAPI, ServiceRuntime]:
    """Raises ConfigurationError when sign-in cannot be verified (no JWKS URL or secret)."""
    verifier = verifier_from(settings)
    runtime = ServiceRuntime(SERVICE, settings)
    repository = assignment_repository(lambda: runtime.store)
    handlers = Handlers(repository, ReadModelDirectory(lambda: runtime.pool))
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
        routers=routers(handlers, lambda: runtime.pool, imports, lambda: runtime.store),
        lifespan=runtime.lifespan,
    )
    return app, runtime
