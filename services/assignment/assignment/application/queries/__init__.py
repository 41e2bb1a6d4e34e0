"""One module per query: the query (a Message answering what it reads) and its handler;
`bind` gives the boundary each handler with what it reads from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from . import import_progress, mentoring, month_reports, plan_coverage, visit_quotas
from .import_progress import ImportProgress
from .mentoring import Mentoring
from .month_reports import MonthReports
from .plan_coverage import CoverageReport, PlanCoverage
from .reads import Reads
from .visit_quotas import VisitQuotas

QUERIES: dict[type, Callable[..., Awaitable[Any]]] = {
    PlanCoverage: plan_coverage.handle,
    Mentoring: mentoring.handle,
    MonthReports: month_reports.handle,
    VisitQuotas: visit_quotas.handle,
    ImportProgress: import_progress.handle,
}


def bind(reads: Reads) -> dict[type, Callable[[Any], Awaitable[Any]]]:
    return {kind: partial(handle, reads=reads) for kind, handle in QUERIES.items()}


__all__ = [
    "QUERIES",
    "CoverageReport",
    "ImportProgress",
    "Mentoring",
    "MonthReports",
    "PlanCoverage",
    "Reads",
    "VisitQuotas",
    "bind",
]
