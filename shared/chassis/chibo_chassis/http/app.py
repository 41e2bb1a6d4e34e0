"""The HTTP app every service starts from: health, metrics, problem+json, request context
and sign-in."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.store import IdempotencyLedger

from ..auth.tokens import TokenVerifier
from ..health import Check, health_routes, metrics_route
from .access_log import AccessLog
from .api_docs import docs_routes
from .idempotency import IdempotencyKeys, declare_idempotency_key
from .middleware import RequestContext
from .outage_docs import declare_outage_answer
from .personal_reads import declare_in_openapi, declared_routes
from .problems import install_problem_handlers

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

BEARER = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "A token from the province's identity provider, with the claims "
    "chibo_role, chibo_org and (for members) chibo_member. See the README.",
}
UNAUTHENTICATED = {
    "description": "No, or a bad, bearer token (problem+json)",
    "content": {"application/problem+json": {"schema": {"type": "object"}}},
}
FORBIDDEN = {
    "description": "The role or its organisation subtree does not allow this (problem+json)",
    "content": {"application/problem+json": {"schema": {"type": "object"}}},
}


def create_app(
    *,
    title: str,
    version: str,
    metrics: KernelMetrics,
    checks: Mapping[str, Check],
    verifier: TokenVerifier,
    routers: Sequence[APIRouter] = (),
    lifespan: Lifespan | None = None,
    description: str = "",
    idempotency: Callable[[], IdempotencyLedger] | None = None,
    access_log: AccessLog | None = None,
) -> FastAPI:
    """`idempotency`: where keyed commands record their answers (the service's event
    store); without it the Idempotency-Key header is ignored. `access_log`: where the
    routes declared with `reads_personal_data` log each read; required if there are any."""
    # /docs from the service's own files (api_docs), never a CDN; no ReDoc, which only has one.
    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    for router in routers:
        app.include_router(router, responses={401: UNAUTHENTICATED, 403: FORBIDDEN})
    if access_log is None and any(declared_routes(app.routes)):
        raise RuntimeError("routes read personal data, but the app was given no access log")
    app.state.access_log = access_log
    for route in [*health_routes(checks), metrics_route(metrics.registry), *docs_routes(title)]:
        app.router.routes.append(route)
    install_problem_handlers(app)
    if idempotency is not None:  # added first, so it runs inside sign-in
        app.add_middleware(IdempotencyKeys, ledger=idempotency)
    app.add_middleware(
        RequestContext,
        registry=metrics.registry,
        verifier=verifier,
        dependencies=metrics.dependencies,
    )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            schema.setdefault("components", {})["securitySchemes"] = {"bearer": BEARER}
            schema["security"] = [{"bearer": []}]
            declare_idempotency_key(schema)
            declare_outage_answer(schema)
            declare_in_openapi(schema, app.routes)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
