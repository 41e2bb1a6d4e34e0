"""The composition root: settings → runtime (pool, NATS, own stream, relay) → the consumed
read models and their generations → rule sets → commands → app, behind sign-in (the token
verifier from the settings) and the role policy (docs/authorization.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from chibo_kernel.auth import verifier_from
from chibo_kernel.domain import Repository
from chibo_kernel.http import create_app
from chibo_kernel.runtime import ServiceRuntime

from .adapters.projection import project
from .adapters.rule_files import load_rule_book
from .application.commands import RatingCommands
from .application.member_inputs import MemberInputs
from .application.read_models import ReadModels
from .domain.events import REGISTRY
from .entrypoints.audit import rating_audit
from .entrypoints.http import router
from .settings import RatingSettings

SERVICE = "rating"


def build(settings: RatingSettings) -> tuple[FastAPI, ServiceRuntime, ReadModels]:
    """Raises ConfigurationError when there is no way to verify sign-in tokens."""
    verifier = verifier_from(settings)
    rules = load_rule_book(settings.rules_dir)  # a bad rule file stops start-up here
    runtime = ServiceRuntime(SERVICE, settings)
    read_models = ReadModels(runtime, rules)
    # The repository's default authoriser is the role policy.
    repository = Repository(lambda: runtime.store, REGISTRY, project=project)
    commands = RatingCommands(repository, lambda: runtime.pool, read_models, rules)
    inputs = MemberInputs(repository, lambda: runtime.pool, read_models, rules.charter)

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
        routers=[
            router(commands, inputs, lambda: runtime.pool, read_models),
            rating_audit(lambda: runtime.pool, lambda: runtime.store),
        ],
        lifespan=lifespan,
    )
    return app, runtime, read_models
