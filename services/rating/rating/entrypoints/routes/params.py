"""Path and query parameters shared by the route modules, and answering as JSON or as a
download (CSV or XLSX with Vietnamese headers)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from fastapi import Path, Query
from fastapi.responses import Response

from rating.adapters.export import (
    Column,
    ExportFormat,
    content_disposition,
    export_rows,
    media_type,
)

UnitPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
MemberId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Year = Annotated[int, Path(ge=1930, le=2100)]
Quarter = Annotated[int | None, Query(ge=1, le=4, description="1-4; the whole year if left out")]
Format = Annotated[
    ExportFormat | None,
    Query(description="csv or xlsx to download the read model instead of JSON"),
]


def download(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], fmt: ExportFormat, stem: str
) -> Response:
    return Response(
        content=export_rows(rows, columns, fmt, sheet_title=stem),
        media_type=media_type(fmt),
        headers={"Content-Disposition": content_disposition(stem, fmt)},
    )
