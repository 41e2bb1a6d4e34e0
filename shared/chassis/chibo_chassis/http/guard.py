"""The HTTP side of the permissions boundary: a route names the command or query it runs,
and its rule (the service's permissions.py) is asked with the raw request before FastAPI
validates the body, so a refusal is the same whatever the request carries."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import APIRoute

from ..auth.boundary import Boundary

_GUARD = "__chibo_guard__"
_CHECKED = "chibo_guarded"


async def raw_fields(request: Request) -> dict[str, Any]:
    """What a request names, before validation: its query, then its JSON object (if it is
    one), then its path parameters, later ones winning, as the routes read them. The
    boundary checks the typed message again in any case."""
    body: Any = {}
    if request.method not in ("GET", "HEAD"):
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError, RecursionError):
            body = {}  # the validation that follows answers it
    fields: dict[str, Any] = dict(request.query_params)
    fields.update(body if isinstance(body, dict) else {})
    fields.update(request.path_params)
    return fields


def authorised(boundary: Boundary[Any], kind: type) -> Any:
    """The route's dependency: the boundary's rule for `kind`, asked with the raw request
    before the body is validated (see GuardedRoute)."""

    async def check(request: Request) -> None:
        state = request.scope.setdefault("state", {})
        if state.get(_CHECKED):
            return
        state[_CHECKED] = True
        await boundary.authorise(kind, await raw_fields(request))

    setattr(check, _GUARD, True)
    return Depends(check)


class GuardedRoute(APIRoute):
    """FastAPI parses a JSON body before it runs any dependency, so a guard alone would let
    a caller without the right learn that their JSON is broken before being refused. A
    route of this class runs its guards first, before the body is touched; the dependency
    then finds the request already checked and returns."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        checks = [d.call for d in self.dependant.dependencies if getattr(d.call, _GUARD, False)]
        if not checks:
            return handler

        async def checked_first(request: Request) -> Response:
            for check in checks:
                assert check is not None
                await check(request)
            return await handler(request)

        return checked_first


def v1_router(**options: Any) -> APIRouter:
    """The router every service's API lives on: `/v1`, guards first."""
    return APIRouter(prefix="/v1", route_class=GuardedRoute, **options)
