"""The composition root: settings → runtime (pool, NATS, own stream, relay, the roster
consumer) → commands → app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from chibo_kernel.authz import Authorizer
from chibo_kernel.consumer import EventConsumer
from chibo_kernel.contracts.assignment import REGISTRY as ASSIGNMENT_EVENTS
from chibo_kernel.domain import Repository
from chibo_kernel.http import create_app
from chibo_kernel.logging import get_logger
from chibo_kernel.runtime import ServiceRuntime

from .adapters.projection import project
from .adapters.roster_projection import roster_consumer_spec, roster_projection
from .application.commands import MeetingCommands, utc_now
from .domain.events import REGISTRY
from .entrypoints.http import router
from .settings import AttendanceSettings

SERVICE = "attendance"
log = get_logger("attendance")


def roster_consumer(runtime: ServiceRuntime) -> EventConsumer:
    return EventConsumer(
        roster_consumer_spec(runtime.settings.consumer_batch_size),
        pool=runtime.pool,
        nc=runtime.nc,
        registry=ASSIGNMENT_EVENTS,
        projection=roster_projection(),
        metrics=runtime.metrics,
    )


def build(
    settings: AttendanceSettings,
    authorizer: Authorizer | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> tuple[FastAPI, ServiceRuntime]:
    runtime = ServiceRuntime(SERVICE, settings, consumers=[roster_consumer])
    if authorizer is None:
        log.warning("no authoriser configured: every command is allowed (embedded default)")
    repository = Repository(lambda: runtime.store, REGISTRY, project=project, authorizer=authorizer)
    commands = MeetingCommands(repository, lambda: runtime.pool, clock)
    app = create_app(
        title="chibo attendance service",
        version="0.1.0",
        description="Branch meetings, attendance and guests from higher committees "
        "(sinh hoạt chi bộ, điểm danh, cấp ủy viên cấp trên dự sinh hoạt).",
        metrics=runtime.metrics,
        checks=runtime.checks(),
        routers=[router(commands, lambda: runtime.pool)],
        lifespan=runtime.lifespan,
    )
    return app, runtime
