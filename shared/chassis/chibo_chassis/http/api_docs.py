"""The API docs page (/docs, Swagger UI) with Swagger UI's files served by the service itself
(shipped in the fastapi-swagger wheel): the page loads nothing from a CDN, so it works on a
network that reaches only the service.

Every URL in the page is relative, so the page also works behind a reverse proxy that serves
the service under a prefix (the Ingress's /api/<service>/): /api/rating/docs loads
/api/rating/docs/swagger-ui.css and /api/rating/openapi.json."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from importlib.resources import files

from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

DOCS = "/docs"
# path → (file in fastapi_swagger/resources, media type)
ASSETS = {
    f"{DOCS}/swagger-ui-bundle.js": ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    f"{DOCS}/swagger-ui.css": ("swagger-ui.css", "text/css; charset=utf-8"),
    f"{DOCS}/favicon.png": ("favicon-32x32.png", "image/png"),
}
# Open without sign-in, like the OpenAPI document they show.
OPEN_PATHS = frozenset({DOCS, *ASSETS})
_ONE_DAY = "public, max-age=86400"


def docs_routes(title: str) -> list[BaseRoute]:
    """GET /docs and its files; the page reads the service's own openapi.json."""
    page = get_swagger_ui_html(
        openapi_url="openapi.json",
        title=f"{title} — API docs",
        swagger_js_url=_relative("swagger-ui-bundle.js"),
        swagger_css_url=_relative("swagger-ui.css"),
        swagger_favicon_url=_relative("favicon.png"),
        # Swagger UI would otherwise send the document to validator.swagger.io for a badge.
        swagger_ui_parameters={"validatorUrl": None},
    ).body

    async def docs(_: Request) -> Response:
        return HTMLResponse(page)

    routes: list[BaseRoute] = [Route(DOCS, docs, methods=["GET"], include_in_schema=False)]
    for path, (name, media_type) in ASSETS.items():
        routes.append(
            Route(path, _asset(name, media_type), methods=["GET"], include_in_schema=False)
        )
    return routes


def _relative(name: str) -> str:
    # Relative to /docs (no trailing slash), i.e. to the service's root.
    return f"{DOCS.lstrip('/')}/{name}"


def _asset(name: str, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    async def asset(_: Request) -> Response:
        return Response(_read(name), media_type=media_type, headers={"Cache-Control": _ONE_DAY})

    return asset


@cache
def _read(name: str) -> bytes:
    return files("fastapi_swagger.resources").joinpath(name).read_bytes()
