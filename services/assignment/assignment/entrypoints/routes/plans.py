"""Routes for households, yearly plans and coverage."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request

from chibo_kernel.auth import Permission
from chibo_kernel.pool import LeanPool

from ...adapters.member_file import MemberFileError
from ...application.command_groups import Handlers
from ...application.queries import plan_coverage
from ...domain.errors import refuse
from .. import plan_schemas as s
from .params import UnitPath, Year, accepted, row_problems
from .places import Places, at


def add_routes(
    api: APIRouter, handlers: Handlers, pool: Callable[[], LeanPool], places: Places
) -> None:
    branch = places.unit("branch_id")
    branch_work = [at(Permission.BRANCH_WORK, branch)]
    read = [at(Permission.READ, branch)]

    @api.post("/branches/{branch_id}/households", status_code=201, dependencies=branch_work)
    async def register_households(branch_id: UnitPath, body: s.RegisterHouseholds) -> s.Accepted:
        pairs = [(h.household_id, h.label) for h in body.households]
        return accepted(await handlers.register_households(branch_id, pairs))

    @api.post("/branches/{branch_id}/plans/{year}", status_code=201, dependencies=branch_work)
    async def draft_plan(branch_id: UnitPath, year: Year, body: s.DraftPlan) -> s.Accepted:
        low, high = body.min_households, body.max_households
        if (low is None) != (high is None):
            raise refuse(
                "invalid_range",
                "give both min_households and max_households, or neither",
                "hãy nhập cả số hộ tối thiểu và tối đa, hoặc bỏ trống cả hai",
            )
        household_range = None if low is None or high is None else (low, high)
        return accepted(await handlers.draft_plan(branch_id, year, household_range))

    @api.post(
        "/units/{province_id}/household-range",
        status_code=201,
        dependencies=[at(Permission.ORGANISE, places.unit("province_id"))],
    )
    async def set_household_range(province_id: UnitPath, body: s.HouseholdRange) -> s.Accepted:
        """The province's household range policy from a date on."""
        return accepted(
            await handlers.set_household_range(
                province_id,
                low=body.min_households,
                high=body.max_households,
                valid_from=body.valid_from,
            )
        )

    @api.post(
        "/branches/{branch_id}/plans/{year}/assignments", status_code=201, dependencies=branch_work
    )
    async def assign(branch_id: UnitPath, year: Year, body: s.Assign) -> s.Accepted:
        pairs = [(a.member_id, a.household_ids) for a in body.assignments]
        return accepted(await handlers.assign(branch_id, year, pairs, today=date.today()))

    @api.post(
        "/branches/{branch_id}/plans/{year}/adoption", status_code=201, dependencies=branch_work
    )
    async def adopt(branch_id: UnitPath, year: Year, body: s.Adopt) -> s.Accepted:
        return accepted(
            await handlers.adopt_plan(
                branch_id,
                year,
                resolution_number=body.resolution_number,
                adopted_on=body.adopted_on,
            )
        )

    @api.get("/branches/{branch_id}/plans/{year}/coverage", dependencies=read)
    async def coverage(
        branch_id: UnitPath, year: Year, on: Annotated[date | None, Query()] = None
    ) -> s.CoverageView:
        result = await plan_coverage(pool(), branch_id, year, on or date(year, 12, 31))
        c = result.coverage
        return s.CoverageView(
            members=c.members_text,
            households=c.households_text,
            members_without_households=c.members_without_households,
            households_without_member=c.households_without_member,
            released=result.released,
            released_duties=result.released_duties,
        )

    @api.post("/branches/{branch_id}/duties", status_code=201, dependencies=branch_work)
    async def define_duties(branch_id: UnitPath, body: s.DefineDuties) -> s.Accepted:
        """Household groups (nhóm hộ), routes (tuyến đường) and named tasks of the area."""
        return accepted(
            await handlers.define_duties(
                branch_id,
                groups=[(g.group_id, g.name, g.household_ids) for g in body.groups],
                routes=[(r.id, r.name) for r in body.routes],
                tasks=[(t.id, t.name) for t in body.tasks],
            )
        )

    @api.post(
        "/branches/{branch_id}/plans/{year}/duties", status_code=201, dependencies=branch_work
    )
    async def assign_duties(branch_id: UnitPath, year: Year, body: s.AssignDuties) -> s.Accepted:
        duties = [(d.member_id, d.kind, d.target_id) for d in body.duties]
        return accepted(await handlers.assign_duties(branch_id, year, duties, today=date.today()))

    @api.post("/branches/{branch_id}/plans/{year}/assignments/import", dependencies=branch_work)
    async def import_assignments(
        branch_id: UnitPath,
        year: Year,
        request: Request,
        filename: Annotated[str, Query(min_length=5, max_length=200)],
    ) -> s.PlanImportView:
        """A plan's assignments from a CSV or XLSX sheet (the body): bad rows are reported
        and change nothing, the rest are saved together; the same sheet again changes nothing."""
        suffix = Path(filename).suffix.lower()
        content = await request.body()
        if suffix not in {".csv", ".xlsx"} or not 0 < len(content) <= 5 * 2**20:
            raise refuse(
                "unsupported_file",
                "upload a .csv or .xlsx sheet of at most 5 MiB",
                "hãy tải lên bảng .csv hoặc .xlsx không quá 5 MiB",
            )
        folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="chibo-plan-"))
        try:
            sheet = folder / f"plan{suffix}"
            await asyncio.to_thread(sheet.write_bytes, content)
            try:
                report = await handlers.import_plan_assignments(
                    pool(), branch_id, year, sheet, today=date.today()
                )
            except MemberFileError as refused:
                raise refuse("unreadable_sheet", refused.message_en, refused.message_vi) from None
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)
        return s.PlanImportView(
            rows=report.rows,
            assigned=report.assigned,
            unchanged=report.unchanged,
            errors=row_problems(report.errors),
        )
