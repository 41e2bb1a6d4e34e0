"""The composition root: settings → runtime (pool, NATS, stream, relay) → handlers → app."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI

from chibo_kernel.authz import Authorizer
from chibo_kernel.http import create_app
from chibo_kernel.logging import get_logger
from chibo_kernel.runtime import ServiceRuntime

from .adapters.directory import ReadModelDirectory
from .application.handlers import Handlers
from .application.import_jobs import ImportJobs
from .application.member_import import MemberImport
from .application.repository import assignment_repository
from .entrypoints.http import router
from .settings import AssignmentSettings

SERVICE = "assignment"
log = get_logger("assignment")


def build(
    settings: AssignmentSettings, authorizer: Authorizer | None = None
) -> tuple[FastAPI, ServiceRuntime]:
    runtime = ServiceRuntime(SERVICE, settings)
    if authorizer is None:
        log.warning("no authoriser configured: every command is allowed (embedded default)")
    repository = assignment_repository(lambda: runtime.store, authorizer)
    handlers = Handlers(repository, ReadModelDirectory(lambda: runtime.pool))
    imports = ImportJobs(lambda: MemberImport(repository, runtime.pool, today=date.today()))
    app = create_app(
        title="chibo assignment service",
        version="0.1.0",
        description="Organisation tree, members, households and yearly assignment plans "
        "(phân công nhiệm vụ cho đảng viên).",
        metrics=runtime.metrics,
        checks=runtime.checks(),
        routers=[router(handlers, lambda: runtime.pool, imports)],
        lifespan=runtime.lifespan,
    )
    return app, runtime
