"""The HTTP app every service starts from: health, metrics, problem+json, request context."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager

from fastapi import APIRouter, FastAPI

from ..health import Check, health_routes, metrics_route
from ..metrics import KernelMetrics
from .middleware import RequestContext
from .problems import install_problem_handlers

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    *,
    title: str,
    version: str,
    metrics: KernelMetrics,
    checks: Mapping[str, Check],
    routers: Sequence[APIRouter] = (),
    lifespan: Lifespan | None = None,
    description: str = "",
) -> FastAPI:
    app = FastAPI(title=title, version=version, description=description, lifespan=lifespan)
    for router in routers:
        app.include_router(router)
    for route in [*health_routes(checks), metrics_route(metrics.registry)]:
        app.router.routes.append(route)
    install_problem_handlers(app)
    app.add_middleware(RequestContext, registry=metrics.registry)
    return app
