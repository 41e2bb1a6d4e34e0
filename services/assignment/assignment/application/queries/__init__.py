"""One module per query: the query (a Message answering what it reads) and its handler;
`bind` gives the boundary each handler with what it reads from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from . import (
    branch_followers,
    branch_households,
    branch_members,
    import_progress,
    mentoring,
    month_reports,
    org_tree,
    plan_coverage,
    visit_quotas,
    year_plan,
)
from .branch_followers import BranchFollowers
from .branch_households import BranchHouseholds
from .branch_members import BranchMembers
from .import_progress import ImportProgress
from .mentoring import Mentoring
from .month_reports import MonthReports
from .org_tree import OrgTree
from .plan_coverage import CoverageReport, PlanCoverage
from .reads import Reads
from .visit_quotas import VisitQuotas
from .year_plan import YearPlan

QUERIES: dict[type, Callable[..., Awaitable[Any]]] = {
    PlanCoverage: plan_coverage.handle,
    Mentoring: mentoring.handle,
    MonthReports: month_reports.handle,
    VisitQuotas: visit_quotas.handle,
    ImportProgress: import_progress.handle,
    BranchMembers: branch_members.handle,
    OrgTree: org_tree.handle,
    BranchHouseholds: branch_households.handle,
    YearPlan: year_plan.handle,
    BranchFollowers: branch_followers.handle,
}


def bind(reads: Reads) -> dict[type, Callable[[Any], Awaitable[Any]]]:
    return {kind: partial(handle, reads=reads) for kind, handle in QUERIES.items()}


__all__ = [
    "QUERIES",
    "BranchFollowers",
    "BranchHouseholds",
    "BranchMembers",
    "CoverageReport",
    "ImportProgress",
    "Mentoring",
    "MonthReports",
    "OrgTree",
    "PlanCoverage",
    "Reads",
    "VisitQuotas",
    "YearPlan",
    "bind",
]
