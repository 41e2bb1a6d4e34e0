"""The member scorecards under a unit, page by page: a commune's list answers from its own
members' facts, and a download of a whole province streams page by page instead of holding
every member at once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, disclose, reads_personal_data, streamed
from rating.adapters.export import content_disposition, csv_chunk, media_type

from ...application import queries as q
from ...application.queries.assessments import MemberAssessment
from .. import schemas as s
from .cards import scorecard
from .columns import SCORECARD_COLUMNS
from .params import Format, Quarter, UnitPath, Year, download

Limit = Annotated[int, Query(ge=1, le=1000, description="members per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="members to skip")]
STREAM_PAGE = 1000


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    @api.get(
        "/units/{unit_id}/members/{year}",
        response_model=list[s.Scorecard],
        dependencies=[authorised(bus, q.UnitMemberScorecards)],
    )
    @reads_personal_data("year_end_rating")
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
        if format == "csv":
            # Asked again as the download it is: the same rule as a page's.
            pages = await bus.run(q.UnitMemberScorecardPages(unit_id, year, STREAM_PAGE))
            return StreamingResponse(
                _csv(await streamed(pages), quarter),
                media_type=media_type("csv"),
                headers={"Content-Disposition": content_disposition(stem, "csv")},
            )
        if format == "xlsx":
            every = await bus.run(q.UnitMemberScorecards(unit_id, year, None, 0))
            cards = _cards(every.members, quarter)
            disclose(cards)
            rows = [c.model_dump() for c in cards]
            return download(rows, SCORECARD_COLUMNS, "xlsx", stem)
        found = await bus.run(q.UnitMemberScorecards(unit_id, year, limit, offset))
        response.headers["X-Total-Count"] = str(found.total)
        if offset + limit < found.total:
            following = request.url.include_query_params(offset=offset + limit, limit=limit)
            response.headers["Link"] = f'<{following}>; rel="next"'
        return _cards(found.members, quarter)


def _cards(members: Sequence[MemberAssessment], quarter: int | None) -> list[s.Scorecard]:
    return [scorecard(m, quarter) for m in members]


async def _csv(
    pages: AsyncIterator[list[MemberAssessment]], quarter: int | None
) -> AsyncIterator[bytes]:
    first = True
    async for page in pages:
        yield csv_chunk(
            [c.model_dump() for c in _cards(page, quarter)], SCORECARD_COLUMNS, first=first
        )
        first = False
