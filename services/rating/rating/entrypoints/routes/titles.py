"""Multi-year titles: for each branch, chi bộ cơ sở and grassroots organisation under a unit,
the years in a row it was decided "hoàn thành xuất sắc nhiệm vụ" (and good or better) up to
the year asked, and whether that reaches the multi-year award. Read at the unit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from chibo_kernel.auth import Permission
from chibo_kernel.export import Column
from chibo_kernel.http import guard
from chibo_kernel.pool import LeanPool

from ...application.evidence_query import facts
from ...application.read_models import ReadModels
from ...domain.rule_book import RuleBook
from ...domain.titles import run_of_years
from .params import Format, UnitPath, Year, download
from .places import Places

UNITS_SQL = """
SELECT unit_id, name, kind FROM units
 WHERE $1 = ANY (path) AND kind IN ('branch', 'grassroots') ORDER BY cardinality(path), unit_id
"""
DECIDED_SQL = """
SELECT subject_id, year, level FROM decisions
 WHERE subject = 'unit' AND subject_id = ANY ($1::text[]) AND year <= $2
"""
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


def add_routes(
    api: APIRouter,
    pool: Callable[[], LeanPool],
    read_models: ReadModels,
    rules: RuleBook,
    places: Places,
) -> None:
    @api.get(
        "/units/{unit_id}/titles/{year}",
        response_model=list[TitleLine],
        dependencies=[guard(Permission.READ, places.unit)],
    )
    async def titles(unit_id: UnitPath, year: Year, format: Format = None) -> Any:
        """Years in a row each unit under this one was decided excellent, to `year`."""
        async with facts(pool(), read_models.active_schema) as conn:
            units = await conn.fetch(UNITS_SQL, unit_id)
            rows = await conn.fetch(DECIDED_SQL, [u["unit_id"] for u in units], year)
        decided: dict[str, dict[int, Any]] = defaultdict(dict)
        for row in rows:
            decided[row["subject_id"]][row["year"]] = row["level"]
        needed = rules.charter.award_years
        lines = []
        for unit in units:
            run = run_of_years(decided[unit["unit_id"]], year, needed)
            lines.append(
                TitleLine(
                    unit_id=unit["unit_id"],
                    name=unit["name"],
                    kind=unit["kind"],
                    excellent_years=run.excellent_years,
                    good_years=run.good_years,
                    eligible=run.eligible,
                    reason=run.reason.text(),
                )
            )
        if format:
            rows_out = [line.model_dump() for line in lines]
            return download(rows_out, COLUMNS, format, f"Khen thưởng nhiều năm {unit_id} {year}")
        return lines
