"""Where each route acts in the organisation tree (docs/authorization.md): locators over the
service's own read models for the route guards, and the checks on the places a command's
body names (a new parent, a target branch, the units followed).

The guards run before the body is validated, so a caller refused at a place gets 403
whatever the body holds. A place the body names is read from the raw JSON: a field that
is missing is left to the validation that follows (422); an id the service does not know,
or a value that is no id at all, is refused for a scoped principal as if out of scope
(403), so ids outside one's subtree cannot be probed, and left to the validation or the
command (422) for a province-wide one. The commands check every place again, with what
they load.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import Depends, Request

from chibo_kernel.auth import Permission, Role, current_principal, require, require_role
from chibo_kernel.errors import NotFound
from chibo_kernel.http import Locator, guard
from chibo_kernel.pool import LeanPool

from ...application.import_jobs import ImportJobs

_UNIT = "SELECT path FROM org_units WHERE unit_id = $1"
_UNITS = "SELECT unit_id, path FROM org_units WHERE unit_id = ANY($1::text[])"
_MAX_NAMED = 1000  # a body's list is checked this far; validation refuses far fewer
_MEMBER = (
    "SELECT u.path FROM members m JOIN org_units u ON u.unit_id = m.branch_id"
    " WHERE m.member_id = $1"
)
_PROBLEM = (
    "SELECT u.path FROM problems p JOIN org_units u ON u.unit_id = p.branch_id"
    " WHERE p.problem_id = $1"
)
_NOT_FOUND = (
    "the organisation, member or problem named in the path",
    "tổ chức, đảng viên hoặc vấn đề nêu trong đường dẫn",
)

BodyPlaces = Callable[[dict[str, Any]], Awaitable[list[Sequence[str] | None]]]


async def raw_body(request: Request) -> dict[str, Any]:
    """The request's JSON object as sent, before validation; {} if it is not one."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


class Places:
    """Locators for the route guards, answering from the read models."""

    def __init__(self, pool: Callable[[], LeanPool], jobs: ImportJobs) -> None:
        self._pool = pool
        self._jobs = jobs

    async def _path(self, query: str, key: str) -> list[str] | None:
        path = await self._pool().fetchval(query, key)
        return list(path) if path is not None else None

    async def of_unit(self, unit_id: str) -> list[str] | None:
        return await self._path(_UNIT, unit_id)

    def unit(self, param: str) -> Locator:
        """The unit the path parameter `param` names (a branch, a province, any unit)."""

        async def locate(request: Request) -> Sequence[str] | None:
            return await self.of_unit(str(request.path_params[param]))

        return locate

    def member(self, param: str = "member_id") -> Locator:
        """The branch of the member the path names (where their events are filed)."""

        async def locate(request: Request) -> Sequence[str] | None:
            return await self._path(_MEMBER, str(request.path_params[param]))

        return locate

    def problem(self) -> Locator:
        async def locate(request: Request) -> Sequence[str] | None:
            return await self._path(_PROBLEM, str(request.path_params["problem_id"]))

        return locate

    def job(self) -> Locator:
        """An import job's place: the subtree of whoever started it, which is where it may
        write (rows naming branches outside it are refused row by row)."""

        async def locate(request: Request) -> Sequence[str] | None:
            job = self._jobs.get(str(request.path_params["job_id"]))
            return list(job.org_path) if job is not None else None

        return locate

    def body_units(self, *fields: str) -> BodyPlaces:
        """The units named by these body fields (a string, or a list of strings)."""

        async def places(body: dict[str, Any]) -> list[Sequence[str] | None]:
            named: list[Any] = []
            for name in fields:
                value = body.get(name)
                if isinstance(value, list):
                    named += value[:_MAX_NAMED]
                elif value is not None:
                    named.append(value)
            ids = sorted({u for u in named if isinstance(u, str)})
            rows = await self._pool().fetch(_UNITS, ids) if ids else []
            paths = {r["unit_id"]: list(r["path"]) for r in rows}
            # Anything else than a known id (an unknown one, a number) is an unknown place.
            return [paths.get(u) if isinstance(u, str) else None for u in named]

        return places

    def parent(self) -> BodyPlaces:
        """Where a new unit is created: under its parent; a province at the root."""

        async def places(body: dict[str, Any]) -> list[Sequence[str] | None]:
            parent = body.get("parent_id")
            if parent is None:
                return [()]
            return [await self.of_unit(parent) if isinstance(parent, str) else None]

        return places

    def branch_in_body(self) -> BodyPlaces:
        """A new member's branch: unknown (None) when the body names none, so that only a
        province-wide principal gets as far as the validation."""

        async def places(body: dict[str, Any]) -> list[Sequence[str] | None]:
            branch = body.get("branch_id")
            return [await self.of_unit(branch) if isinstance(branch, str) else None]

        return places


def at(permission: Permission, locate: Locator, *also: BodyPlaces) -> Any:
    """The guard: `permission` at the place the path names (unknown: 404 for a
    province-wide principal, 403 for anyone else), then at each place the body names."""
    if not also:
        return guard(permission, locate)

    async def check(request: Request) -> None:
        path = await locate(request)
        require(permission, path)
        if path is None:
            raise NotFound(*_NOT_FOUND)
        body = await raw_body(request)
        for places in also:
            for place in await places(body):
                require(permission, place)

    return Depends(check)


def in_body(permission: Permission, places: BodyPlaces) -> Any:
    """The guard for a command whose only place is in its body."""

    async def check(request: Request) -> None:
        require_role(permission)
        for place in await places(await raw_body(request)):
            require(permission, place)

    return Depends(check)


def role_only(permission: Permission) -> Any:
    """The role alone, for a command that checks each of its rows' places as it runs."""

    async def check() -> None:
        require_role(permission)

    return Depends(check)


def own_reports(locate: Locator) -> Any:
    """`report` at the branch; the member role only for reports that are all its own."""

    async def check(request: Request) -> None:
        path = await locate(request)
        member: str | None = None
        principal = current_principal()
        if principal is not None and principal.role is Role.MEMBER:
            member = principal.member_id
            reports = (await raw_body(request)).get("reports")
            for report in reports if isinstance(reports, list) else []:
                named = report.get("member_id") if isinstance(report, dict) else None
                if isinstance(named, str) and named != principal.member_id:
                    member = named
                    break
        require(Permission.REPORT, path, member)
        if path is None:
            raise NotFound(*_NOT_FOUND)

    return Depends(check)


def principal_scope() -> tuple[str, ...]:
    principal = current_principal()
    return principal.scope if principal is not None else ()
