"""Route guards: each route names the permission it needs and how to find the place in the
organisation tree it touches; the guard runs before the body is validated or any state is
read for the answer, so a refusal is the same whatever the request carries.

A locator turns the request's path parameters into an organisation path, from the
service's own read models (a unit, the branch of a meeting or a member). None means
unknown: a province-wide principal then gets 404, anyone else the same 403 an
out-of-scope place gets, so ids outside one's subtree cannot be probed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import APIRoute

from ..auth.boundary import Boundary
from ..auth.policy import Permission, require
from ..errors import NotFound

_GUARD = "__chibo_guard__"
_CHECKED = "chibo_guarded"
Locator = Callable[[Request], Awaitable[Sequence[str] | None]]


async def _province(_: Request) -> Sequence[str]:
    return ()


def guard(
    permission: Permission, locate: Locator = _province, *, member_param: str | None = None
) -> Any:
    """A FastAPI dependency; `member_param` names the path parameter holding the member
    whose own record this is (the member role may touch only its own)."""

    async def check(request: Request) -> None:
        state = request.scope.setdefault("state", {})
        if state.get(_CHECKED):  # already asked, before the body was read
            return
        state[_CHECKED] = True
        path = await locate(request)
        member = request.path_params.get(member_param) if member_param else None
        require(permission, path, member)
        if path is None:
            raise NotFound(
                "the organisation, meeting or member named in the path",
                "tổ chức, cuộc họp hoặc đảng viên nêu trong đường dẫn",
            )

    setattr(check, _GUARD, True)
    return Depends(check)


async def raw_fields(request: Request) -> dict[str, Any]:
    """What a request names, before validation: its JSON object (if it is one), then its
    query, then its path parameters, later ones winning."""
    body: Any = {}
    if request.method not in ("GET", "HEAD"):
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            body = {}
    fields = dict(body) if isinstance(body, dict) else {}
    fields.update(request.query_params)
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
