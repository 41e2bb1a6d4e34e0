"""Route guards: each route names the permission it needs and how to find the place in the
organisation tree it touches; the guard runs before the body is validated or any state is
read for the answer, so a refusal is the same whatever the request carries.

A locator turns the request's path parameters into an organisation path, from the
service's own read models (a unit, the branch of a meeting or a member). None means
unknown: a province-wide principal then gets 404, anyone else the same 403 an
out-of-scope place gets, so ids outside one's subtree cannot be probed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import Depends, Request

from ..auth.policy import Permission, require
from ..errors import NotFound

Locator = Callable[[Request], Awaitable[Sequence[str] | None]]


async def _province(_: Request) -> Sequence[str]:
    return ()


def guard(
    permission: Permission, locate: Locator = _province, *, member_param: str | None = None
) -> Any:
    """A FastAPI dependency; `member_param` names the path parameter holding the member
    whose own record this is (the member role may touch only its own)."""

    async def check(request: Request) -> None:
        path = await locate(request)
        member = request.path_params.get(member_param) if member_param else None
        require(permission, path, member)
        if path is None:
            raise NotFound(
                "the organisation, meeting or member named in the path",
                "tổ chức, cuộc họp hoặc đảng viên nêu trong đường dẫn",
            )

    return Depends(check)
