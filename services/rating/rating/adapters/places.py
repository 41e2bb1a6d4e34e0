"""Where a command or query acts in the organisation tree, found from the fields it names,
over the active generation of the consumed read models (the facts), or over the same facts
kept in memory (`memory_facts.py`, the service on the in-memory store); `permissions.py` says
which locator each one uses.

A locator answers one place per id it reads: None when the id is unknown (the boundary then
answers 404 to a province-wide principal and 403 to anyone else, so ids cannot be probed).
Fields come typed from a message or raw from a request (path parameters are strings).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol

from chibo_chassis.auth import Fields, Place, Where
from chibo_kernel.pool import LeanPool

from .facts_schema import facts

_UNIT = "SELECT path FROM units WHERE unit_id = $1"
_UNITS = "SELECT unit_id, path FROM units WHERE unit_id = ANY ($1::text[])"

# The member's branch at the year's end, as the year's scorecard and the year's rating book
# have it; failing that (left or not yet admitted then) the last branch before it, failing
# that the latest one: an authorised caller then learns why nothing can be done there.
_MEMBER_BRANCH = """
SELECT u.path FROM member_periods p JOIN units u ON u.unit_id = p.branch_id
 WHERE p.member_id = $1
 ORDER BY (p.from_date <= $2 AND (p.to_date IS NULL OR p.to_date >= $2)) DESC,
          (p.from_date <= $2) DESC, p.from_date DESC
 LIMIT 1
"""
_MAX_NAMED = 1000  # a body's list is checked this far; validation refuses far fewer


def year_end(value: object) -> date:
    """The last day of the year a message names (an int) or a request's path names (its
    digits); no year that can be read: the end of time (a member's latest branch)."""
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            return date.max
    if isinstance(value, bool) or not isinstance(value, int) or not 1930 <= value <= 2100:
        return date.max
    return date(value, 12, 31)


class Places(Protocol):
    """What the locators ask: a unit's path, each named unit's, a member's branch's."""

    async def of_unit(self, unit_id: object) -> list[str] | None: ...

    async def of_units(self, named: Sequence[Any]) -> list[Place]: ...

    async def of_member(self, member_id: object, year: object) -> list[str] | None: ...


class ReadModelPlaces:
    """The read-model lookups the locators use: in the generation queries read now."""

    def __init__(self, pool: Callable[[], LeanPool], schema: Callable[[], str]) -> None:
        self._pool = pool
        self._schema = schema

    async def _path(self, query: str, *args: object) -> list[str] | None:
        async with facts(self._pool(), self._schema()) as conn:
            path = await conn.fetchval(query, *args)
        return None if path is None else list(path)

    async def of_unit(self, unit_id: object) -> list[str] | None:
        if not isinstance(unit_id, str):
            return None
        return await self._path(_UNIT, unit_id)

    async def of_units(self, named: Sequence[Any]) -> list[Place]:
        ids = sorted({u for u in named if isinstance(u, str)})
        paths: dict[str, list[str]] = {}
        if ids:
            async with facts(self._pool(), self._schema()) as conn:
                paths = {r["unit_id"]: list(r["path"]) for r in await conn.fetch(_UNITS, ids)}
        return [paths.get(u) if isinstance(u, str) else None for u in named]

    async def of_member(self, member_id: object, year: object) -> list[str] | None:
        """The member's branch at the end of the year (see `_MEMBER_BRANCH`); no year that
        can be read: their latest branch."""
        if not isinstance(member_id, str):
            return None
        return await self._path(_MEMBER_BRANCH, member_id, year_end(year))


PlaceOf = Where[Places]


def unit(field: str = "unit_id") -> PlaceOf:
    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_unit(fields.get(field))]

    return locate


def units(*names: str) -> PlaceOf:
    """The units these fields name: a string, or a list of strings; a field left out names
    none (validation then refuses the body)."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        named: list[Any] = []
        for name in names:
            value = fields.get(name)
            if isinstance(value, list):
                named += value[:_MAX_NAMED]
            elif value is not None:
                named.append(value)
        return await places.of_units(named)

    return locate


def member_branch(member: str = "member_id", year: str = "year") -> PlaceOf:
    """The branch the member belongs to at the end of the year named."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        return [await places.of_member(fields.get(member), fields.get(year))]

    return locate


def parent(field: str = "unit_id") -> PlaceOf:
    """The level above the unit (none above a province); an unknown unit names none, its
    own check refuses it."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        path = await places.of_unit(fields.get(field))
        return [path[:-1]] if path is not None and len(path) > 1 else []

    return locate


def cohort_on_path(field: str = "unit_id", cohort: str = "cohort_id") -> PlaceOf:
    """The unit a branch's members are to be counted in, when it lies on the branch's path
    (the branch itself or a unit above it): `path[:index(cohort) + 1]`. A cohort off the
    path names none: the command refuses it in words."""

    async def locate(fields: Fields, places: Places) -> list[Place]:
        chosen = fields.get(cohort)
        path = await places.of_unit(fields.get(field))
        if path is None or not isinstance(chosen, str) or chosen not in path:
            return []
        return [path[: path.index(chosen) + 1]]

    return locate
