"""The member scorecards under a unit, page by page: a commune's list answers from its own
members' facts, and a download of a whole province streams page by page instead of holding
every member at once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from chibo_kernel.auth import Permission
from chibo_kernel.export import content_disposition, csv_chunk, media_type
from chibo_kernel.http import guard
from chibo_kernel.pool import LeanPool

from ...application.assessments import assess_members
from ...application.evidence_query import facts, member_count, member_evidence
from ...application.read_models import ReadModels
from ...domain.rule_book import RuleBook
from .. import schemas as s
from .cards import scorecard
from .columns import SCORECARD_COLUMNS
from .params import Format, Quarter, UnitPath, Year, download
from .places import Places

Limit = Annotated[int, Query(ge=1, le=1000, description="members per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="members to skip")]
STREAM_PAGE = 1000


def add_routes(
    api: APIRouter,
    pool: Callable[[], LeanPool],
    read_models: ReadModels,
    rules: RuleBook,
    places: Places,
) -> None:
    async def page(
        unit_id: str, year: int, quarter: int | None, limit: int | None, offset: int
    ) -> list[s.Scorecard]:
        async with facts(pool(), read_models.active_schema) as conn:
            found = await member_evidence(conn, unit_id, year, limit=limit, offset=offset)
        assessed = assess_members(found, rules.for_year(year), rules)
        return [scorecard(m, quarter) for m in assessed]

    @api.get(
        "/units/{unit_id}/members/{year}",
        response_model=list[s.Scorecard],
        dependencies=[guard(Permission.READ, places.unit)],
    )
    async def scorecards(
        request: Request,
        response: Response,
        unit_id: UnitPath,
        year: Year,
        quarter: Quarter = None,
        format: Format = None,
        limit: Limit = 500,
        offset: Offset = 0,
    ) -> Any:
        """Member scorecards under the unit, for the year or a quarter, in branch and name
        order, `limit` at a time: `X-Total-Count` gives the number of members and a `Link`
        header the next page. A CSV download streams every member; XLSX holds them all."""
        stem = f"Bảng đánh giá đảng viên {unit_id} {year}"
        rules.for_year(year)  # a year without rules is a 404 before anything streams
        if format == "csv":
            return StreamingResponse(
                _csv(lambda at: page(unit_id, year, quarter, STREAM_PAGE, at)),
                media_type=media_type("csv"),
                headers={"Content-Disposition": content_disposition(stem, "csv")},
            )
        if format == "xlsx":
            rows = [c.model_dump() for c in await page(unit_id, year, quarter, None, 0)]
            return download(rows, SCORECARD_COLUMNS, "xlsx", stem)
        async with facts(pool(), read_models.active_schema) as conn:
            total = await member_count(conn, unit_id, year)
        response.headers["X-Total-Count"] = str(total)
        if offset + limit < total:
            following = request.url.include_query_params(offset=offset + limit, limit=limit)
            response.headers["Link"] = f'<{following}>; rel="next"'
        return await page(unit_id, year, quarter, limit, offset)


async def _csv(fetch: Callable[[int], Any]) -> AsyncIterator[bytes]:
    offset = 0
    while True:
        cards: list[s.Scorecard] = await fetch(offset)
        yield csv_chunk([c.model_dump() for c in cards], SCORECARD_COLUMNS, first=offset == 0)
        if len(cards) < STREAM_PAGE:
            return
        offset += STREAM_PAGE
