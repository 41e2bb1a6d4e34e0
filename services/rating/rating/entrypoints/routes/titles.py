"""Multi-year titles: for each branch, chi bộ cơ sở and grassroots organisation under a unit,
the years in a row it was decided "hoàn thành xuất sắc nhiệm vụ" (and good or better) up to
the year asked, and whether that reaches the multi-year award. Read at the unit."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised
from rating.adapters.export import Column

from ...application import queries as q
from .params import Format, UnitPath, Year, download

COLUMNS = [
    Column("unit_id", "Mã đơn vị"),
    Column("name", "Tên đơn vị"),
    Column("excellent_years", "Số năm liền hoàn thành xuất sắc"),
    Column("good_years", "Số năm liền hoàn thành tốt trở lên"),
    Column("eligible", "Đủ điều kiện khen thưởng nhiều năm liền"),
]


class TitleLine(BaseModel):
    unit_id: str
    name: str
    kind: str
    excellent_years: int
    good_years: int
    eligible: bool
    reason: str


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    @api.get(
        "/units/{unit_id}/titles/{year}",
        response_model=list[TitleLine],
        dependencies=[authorised(bus, q.UnitTitles)],
    )
    async def titles(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Years in a row each unit under this one was decided excellent, to `year`."""
        found = await bus.run(q.UnitTitles(unit_id, year))
        lines = [TitleLine(**dataclasses.asdict(t)) for t in found]
        if format:
            rows_out = [line.model_dump() for line in lines]
            return download(rows_out, COLUMNS, format, f"Khen thưởng nhiều năm {unit_id} {year}")
        return lines
