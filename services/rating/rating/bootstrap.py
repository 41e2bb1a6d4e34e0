"""The composition root: settings → runtime (pool, NATS, own stream, relay) → the consumed
read models and their generations → rule sets → the boundary (the permissions table, the
places it locates, the handlers of the commands and queries) → app, behind sign-in (the
token verifier from the settings; docs/authorization.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from chibo_chassis.auth import Boundary, verifier_from
from chibo_chassis.http import ReadAudit, audit_handler, create_app
from chibo_chassis.runtime import ServiceRuntime
from chibo_kernel.domain import Repository

from .adapters import audit_subjects
from .adapters.places import Places
from .adapters.projection import project
from .adapters.rule_files import load_rule_book
from .application import handlers, queries
from .application.deps import Deps
from .application.read_models import ReadModels
from .domain.events import REGISTRY
from .entrypoints.http import routers
from .permissions import PERMISSIONS
from .settings import RatingSettings

SERVICE = "rating"


def build(settings: RatingSettings) -> tuple[FastAPI, ServiceRuntime, ReadModels]:
    """Raises ConfigurationError when there is no way to verify sign-in tokens."""
    verifier = verifier_from(settings)
    rules = load_rule_book(settings.rules_dir)  # a bad rule file stops start-up here
    runtime = ServiceRuntime(SERVICE, settings)
    read_models = ReadModels(runtime, rules)
    repository = Repository(lambda: runtime.store, REGISTRY, project=project)
    places = Places(lambda: runtime.pool, lambda: read_models.active_schema)
    deps = Deps(
        repository,
        lambda: runtime.pool,
        read_models,
        rules,
        rows_for=lambda kind: bus.rows_for(kind),
    )
    audit = audit_handler(
        audit_subjects.resolver(lambda: runtime.pool),
        lambda: runtime.store,
        PERMISSIONS[ReadAudit].permission,
    )
    bus = Boundary(
        PERMISSIONS,
        lambda: places,
        {**handlers.bind(deps), **queries.bind(deps), ReadAudit: audit},
    )

    @asynccontextmanager
    async def lifespan(_: Any = None) -> AsyncIterator[None]:
        async with runtime.lifespan():
            await read_models.start()
            try:
                yield
            finally:
                await read_models.stop()

    app = create_app(
        title="chibo rating service",
        version="0.1.0",
        description="Year-end rating (đánh giá, xếp loại chất lượng): scorecards from the "
        "assignment and attendance events, rule sets by year, proposals, people's decisions, "
        "roll-ups.",
        metrics=runtime.metrics,
        checks=runtime.checks(),
        verifier=verifier,
        routers=routers(bus),
        lifespan=lifespan,
    )
    return app, runtime, read_models
