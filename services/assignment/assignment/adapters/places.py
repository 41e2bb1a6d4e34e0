"""Where a command or query acts in the organisation tree, found from the fields it names,
over the service's own read models; `permissions.py` says which locator each one uses.

A locator answers one place per id it reads: None when the id is unknown or no id at all
(the boundary then refuses a scoped principal as if out of scope).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from chibo_chassis.auth import Fields, Place, Where
from chibo_kernel.pool import LeanPool

_UNIT = "SELECT path FROM org_units WHERE unit_id = $1"
_UNITS = "SELECT unit_id, path FROM org_units WHERE unit_id = ANY($1::text[])"
_MEMBER = (
    "SELECT u.path FROM members m JOIN org_units u ON u.unit_id = m.branch_id"
    " WHERE m.member_id = $1"
)
_PROBLEM = (
    "SELECT u.path FROM problems p JOIN org_units u ON u.unit_id = p.branch_id"
    " WHERE p.problem_id = $1"
)
_MAX_NAMED = 1000  # a body's list is checked this far; validation refuses far fewer

JobPlace = Callable[[str], Awaitable[Sequence[str] | None]]  # an import job's place, if any


async def _no_jobs(_: str) -> Sequence[str] | None:
    return None


class Places(Protocol):
    """What the locators ask: answered from the read models in the running service
    (`ReadModelPlaces`), from the aggregates' own events on the in-memory store
    (`aggregate_places.py`)."""

    async def of_unit(self, unit_id: object) -> list[str] | None: ...

    async def of_member(self, member_id: object) -> list[str] | None: ...

    async def of_problem(self, problem_id: object) -> list[str] | None: ...

    async def of_job(self, job_id: object) -> list[str] | None: ...

    async def of_units(self, named: Sequence[Any]) -> list[Place]: ...


class ReadModelPlaces:
    """The read-model lookups the locators use, and where an import job acts."""

    def __init__(self, pool: Callable[[], LeanPool], job_place: JobPlace = _no_jobs) -> None:
        self._pool = pool
        self._job_place = job_place

    async def _path(self, query: str, key: object) -> list[str] | None:
        if not isinstance(key, str):
            return None
        path = await self._pool().fetchval(query, key)
        return list(path) if path is not None else None

    async def of_unit(self, unit_id: object) -> list[str] | None:
        return await self._path(_UNIT, unit_id)

    async def of_member(self, member_id: object) -> list[str] | None:
        """The member's branch: where their events are filed."""
        return await self._path(_MEMBER, member_id)

    async def of_problem(self, problem_id: object) -> list[str] | None:
        return await self._path(_PROBLEM, problem_id)

    async def of_job(self, job_id: object) -> list[str] | None:
        """An import job's place: the subtree of whoever started it, which is where it may
        write (rows naming branches outside it are refused row by row)."""
        place = await self._job_place(job_id) if isinstance(job_id, str) else None
        return list(place) if place is not None else None

    async def of_units(self, named: Sequence[Any]) -> list[Place]:
        ids = sorted({u for u in named if isinstance(u, str)})
        rows = await self._pool().fetch(_UNITS, ids) if ids else []
        paths = {r["unit_id"]: list(r["path"]) for r in rows}
        return [paths.get(u) if isinstance(u, str) else None for u in named]


PlaceOf = Where[Places]


def province() -> PlaceOf:
    """The whole tree: the principal's scope must be province-wide."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [()]

    return locate


def unit(field: str) -> PlaceOf:
    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_unit(fields.get(field))]

    return locate


def member(field: str = "member_id") -> PlaceOf:
    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_member(fields.get(field))]

    return locate


def problem(field: str = "problem_id") -> PlaceOf:
    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_problem(fields.get(field))]

    return locate


def job(field: str = "job_id") -> PlaceOf:
    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_job(fields.get(field))]

    return locate


def units(*names: str) -> PlaceOf:
    """The units these fields name: a string, or a list (a typed message's tuple) of them."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        named: list[Any] = []
        for name in names:
            value = fields.get(name)
            if isinstance(value, list | tuple):
                named += value[:_MAX_NAMED]
            elif value is not None:
                named.append(value)
        return await places.of_units(named)

    return locate


def parent(field: str = "parent_id") -> PlaceOf:
    """Where a new unit is created: under its parent; a province at the root."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        named = fields.get(field)
        return [()] if named is None else [await places.of_unit(named)]

    return locate
