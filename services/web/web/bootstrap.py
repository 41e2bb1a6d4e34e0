"""The web app, composed: sessions, static files, the screens, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry, ProcessCollector
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from chibo_chassis.health import health_routes, metrics_route

from .adapters.api import Api
from .entrypoints.errors import install_error_pages
from .entrypoints.routes import home, imports, meetings, member_home, plan, reports, signin
from .request_log import RequestLog
from .settings import WebSettings
from .signin import oidc_client

STATIC = Path(__file__).parent / "static"
# htmx comes from npm by services/web/assets/package-lock.json; served by the app itself.
VENDOR = Path(__file__).parents[1] / "assets" / "node_modules"
SESSION_SECONDS = 8 * 3600


def build(settings: WebSettings) -> FastAPI:
    api = Api(
        {
            "assignment": settings.assignment_url,
            "attendance": settings.attendance_url,
            "rating": settings.rating_url,
        },
        settings.api_timeout_seconds,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await api.close()

    app = FastAPI(title="chibo", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.api = api
    app.state.settings = settings
    router = APIRouter()
    signin.add_routes(router, settings, api, oidc_client(settings))
    home.add_routes(router, api)
    home.add_member_exports(router, api)
    meetings.add_routes(router, api)
    reports.add_routes(router, api)
    member_home.add_routes(router, api)
    plan.add_routes(router, api)
    imports.add_routes(router, api)
    app.include_router(router)
    app.mount("/static/vendor", StaticFiles(directory=VENDOR / "htmx.org" / "dist"), "vendor")
    app.mount("/static", StaticFiles(directory=STATIC), "static")
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    for route in [*health_routes({}), metrics_route(registry)]:
        app.router.routes.append(route)
    install_error_pages(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret.get_secret_value(),
        session_cookie="chibo_session",
        max_age=SESSION_SECONDS,
        same_site="lax",  # lax, not strict: the identity provider's redirect must carry it
        https_only=settings.secure_cookies,
    )
    # Slow mobile links: compressed, a branch's home with its CSS and htmx is 22 kB.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(RequestLog, registry=registry)
    return app
