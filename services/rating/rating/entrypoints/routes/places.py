"""Where a request lands in the organisation tree, from the rating service's own read models:
the route guards ask their permission there (docs/authorization.md).

A locator answers the unit's path (unit ids from the province root down, the unit itself
last), or None when the service does not know the id: the guard then answers 404 to a
province-wide principal and 403 to anyone else, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from fastapi import Request

from chibo_kernel.pool import LeanPool

from ...application.evidence_query import facts
from ...application.read_models import ReadModels

UNIT_PATH_SQL = "SELECT path FROM units WHERE unit_id = $1"

# The member's branch at the year's end, as the year's scorecard and the year's rating book
# have it; failing that (left or not yet admitted then) the last branch before it, failing
# that the latest one: an authorised caller then learns why nothing can be done there.
MEMBER_BRANCH_SQL = """
SELECT u.path FROM member_periods p JOIN units u ON u.unit_id = p.branch_id
 WHERE p.member_id = $1
 ORDER BY (p.from_date <= $2 AND (p.to_date IS NULL OR p.to_date >= $2)) DESC,
          (p.from_date <= $2) DESC, p.from_date DESC
 LIMIT 1
"""


def _year(request: Request) -> int | None:
    raw = request.path_params.get("year")
    try:
        year = int(raw) if raw is not None else None
    except ValueError:
        return None
    return year if year is not None and 1930 <= year <= 2100 else None


class Places:
    def __init__(self, pool: Callable[[], LeanPool], read_models: ReadModels) -> None:
        self._pool = pool
        self._read_models = read_models

    async def unit_path(self, unit_id: str) -> list[str] | None:
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            path = await conn.fetchval(UNIT_PATH_SQL, unit_id)
        return None if path is None else list(path)

    async def member_branch_path(self, member_id: str, year: int | None) -> list[str] | None:
        on = date(year, 12, 31) if year is not None else date.max
        async with facts(self._pool(), self._read_models.active_schema) as conn:
            path = await conn.fetchval(MEMBER_BRANCH_SQL, member_id, on)
        return None if path is None else list(path)

    async def unit(self, request: Request) -> Sequence[str] | None:
        """The locator of `{unit_id}`."""
        return await self.unit_path(str(request.path_params.get("unit_id", "")))

    async def member_branch(self, request: Request) -> Sequence[str] | None:
        """The locator of `{member_id}` in `{year}`: the member's branch."""
        member_id = str(request.path_params.get("member_id", ""))
        return await self.member_branch_path(member_id, _year(request))
