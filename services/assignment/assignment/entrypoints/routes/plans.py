"""Routes for households, yearly plans and coverage: decode, run through the boundary,
encode."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from chibo_chassis.auth import Boundary
from chibo_chassis.http import authorised, problem, reads_personal_data
from chibo_kernel.clock import vietnam_today

from ...application import queries as q
from ...domain import commands as c
from ...domain.errors import refuse
from ...domain.imports import SheetRefused
from .. import branch_schemas as views
from .. import plan_schemas as s
from .params import UnitPath, Year, accepted

MAX_SHEET_BYTES = 5 * 2**20


def add_routes(api: APIRouter, bus: Boundary[Any]) -> None:
    def checked(kind: type) -> list[Any]:
        return [authorised(bus, kind)]

    @api.post(
        "/branches/{branch_id}/households",
        status_code=201,
        dependencies=checked(c.RegisterHouseholds),
    )
    async def register_households(branch_id: UnitPath, body: s.RegisterHouseholds) -> s.Accepted:
        pairs = tuple((h.household_id, h.label) for h in body.households)
        return accepted(await bus.run(c.RegisterHouseholds(branch_id, pairs)))

    @api.post(
        "/branches/{branch_id}/plans/{year}", status_code=201, dependencies=checked(c.DraftPlan)
    )
    async def draft_plan(branch_id: UnitPath, year: Year, body: s.DraftPlan) -> s.Accepted:
        low, high = body.min_households, body.max_households
        if (low is None) != (high is None):
            raise refuse(
                "invalid_range",
                "give both min_households and max_households, or neither",
                "hãy nhập cả số hộ tối thiểu và tối đa, hoặc bỏ trống cả hai",
            )
        household_range = None if low is None or high is None else (low, high)
        return accepted(await bus.run(c.DraftPlan(branch_id, year, household_range)))

    @api.post(
        "/units/{province_id}/household-range",
        status_code=201,
        dependencies=checked(c.SetHouseholdRange),
    )
    async def set_household_range(province_id: UnitPath, body: s.HouseholdRange) -> s.Accepted:
        """The province's household range policy from a date on."""
        command = c.SetHouseholdRange(
            province_id, body.min_households, body.max_households, body.valid_from
        )
        return accepted(await bus.run(command))

    @api.post(
        "/branches/{branch_id}/plans/{year}/assignments",
        status_code=201,
        dependencies=checked(c.AssignHouseholds),
    )
    async def assign(branch_id: UnitPath, year: Year, body: s.Assign) -> s.Accepted:
        pairs = tuple((a.member_id, tuple(a.household_ids)) for a in body.assignments)
        return accepted(await bus.run(c.AssignHouseholds(branch_id, year, pairs, vietnam_today())))

    @api.post(
        "/branches/{branch_id}/plans/{year}/adoption",
        status_code=201,
        dependencies=checked(c.AdoptPlan),
    )
    async def adopt(branch_id: UnitPath, year: Year, body: s.Adopt) -> s.Accepted:
        command = c.AdoptPlan(branch_id, year, body.resolution_number, body.adopted_on)
        return accepted(await bus.run(command))

    @api.get("/branches/{branch_id}/plans/{year}", dependencies=checked(q.YearPlan))
    @reads_personal_data("assignment_planning")
    async def year_plan(branch_id: UnitPath, year: Year) -> views.PlanView:
        """The plan's status (none, draft, adopted), household range, what each serving
        member holds, by name, and its adoption. `read` at the branch."""
        return views.PlanView.model_validate(await bus.run(q.YearPlan(branch_id, year)))

    @api.get("/branches/{branch_id}/plans/{year}/coverage", dependencies=checked(q.PlanCoverage))
    @reads_personal_data("assignment_planning")
    async def coverage(
        branch_id: UnitPath, year: Year, on: Annotated[date | None, Query()] = None
    ) -> s.CoverageView:
        result = await bus.run(q.PlanCoverage(branch_id, year, on))
        found = result.coverage
        return s.CoverageView(
            members=found.members_text,
            households=found.households_text,
            members_without_households=found.members_without_households,
            households_without_member=found.households_without_member,
            released=result.released,
            released_duties=result.released_duties,
        )

    @api.post("/branches/{branch_id}/duties", status_code=201, dependencies=checked(c.DefineDuties))
    async def define_duties(branch_id: UnitPath, body: s.DefineDuties) -> s.Accepted:
        """Household groups (nhóm hộ), routes (tuyến đường) and named tasks of the area."""
        command = c.DefineDuties(
            branch_id,
            groups=tuple((g.group_id, g.name, tuple(g.household_ids)) for g in body.groups),
            routes=tuple((r.id, r.name) for r in body.routes),
            tasks=tuple((t.id, t.name) for t in body.tasks),
        )
        return accepted(await bus.run(command))

    @api.post(
        "/branches/{branch_id}/plans/{year}/duties",
        status_code=201,
        dependencies=checked(c.AssignDuties),
    )
    async def assign_duties(branch_id: UnitPath, year: Year, body: s.AssignDuties) -> s.Accepted:
        duties = tuple((d.member_id, d.kind, d.target_id) for d in body.duties)
        return accepted(await bus.run(c.AssignDuties(branch_id, year, duties, vietnam_today())))

    @api.post(
        "/branches/{branch_id}/plans/{year}/assignments/import",
        dependencies=checked(c.ImportPlanAssignments),
        response_model=s.PlanImportView,
        responses={422: s.SHEET_REFUSED},
    )
    async def import_assignments(
        branch_id: UnitPath,
        year: Year,
        request: Request,
        filename: Annotated[str, Query(min_length=5, max_length=200)],
    ) -> s.PlanImportView | Response:
        """A plan's assignments from a CSV or XLSX sheet (the body), taken whole: a sheet
        with bad rows is refused (422, `sheet_refused`) naming each row and its member, and
        nothing is saved; the same sheet again changes nothing."""
        content = await request.body()
        suffix = Path(filename).suffix.lower()
        if suffix not in {".csv", ".xlsx"} or not 0 < len(content) <= MAX_SHEET_BYTES:
            raise refuse(
                "unsupported_file",
                "upload a .csv or .xlsx sheet of at most 5 MiB",
                "hãy tải lên bảng .csv hoặc .xlsx không quá 5 MiB",
            )
        command = c.ImportPlanAssignments(branch_id, year, filename, content, vietnam_today())
        try:
            report = await bus.run(command)
        except SheetRefused as refused:
            rows = [dataclasses.asdict(row) for row in refused.rows]
            return problem(422, refused.code, refused.message_en, refused.message_vi, rows=rows)
        return s.PlanImportView(
            rows=report.rows, assigned=report.assigned, unchanged=report.unchanged
        )
