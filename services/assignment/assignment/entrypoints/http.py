"""HTTP routes: decode, call a handler, encode; nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as Path_

from chibo_kernel.errors import NotFound
from chibo_kernel.pool import LeanPool

from ..application.handlers import Handlers, ReportEntry, ReviewEntry
from ..application.import_jobs import ImportJob, ImportJobs
from ..application.queries import month_reports, plan_coverage
from ..application.repository import Saved
from ..domain.errors import refuse
from . import schemas as s

UnitPath = Annotated[str, Path_(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Year = Annotated[int, Path_(ge=1930, le=2100)]
Month = Annotated[str, Path_(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
ProblemId = Annotated[str, Path_(pattern=r"^[0-9a-f]{32}$")]


def accepted(saved: Saved) -> s.Accepted:
    return s.Accepted(versions=saved.versions, event_ids=saved.event_ids)


MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FILE_TYPES = {".csv", ".xlsx"}


def import_status(job: ImportJob) -> s.ImportStatus:
    report = job.report
    return s.ImportStatus(
        job_id=job.job_id,
        filename=job.filename,
        status=job.status,
        processed=job.processed,
        to_write=job.to_write,
        rows=report.rows if report else None,
        imported=report.imported if report else None,
        unchanged=report.unchanged if report else None,
        errors=[
            s.RowProblem(line=e.line, field=e.field, reason=e.reason_en, reason_vi=e.reason_vi)
            for e in (report.errors if report else [])
        ],
        failure=job.failure[0] if job.failure else None,
        failure_vi=job.failure[1] if job.failure else None,
    )


def router(handlers: Handlers, pool: Callable[[], LeanPool], imports: ImportJobs) -> APIRouter:
    api = APIRouter(prefix="/v1")

    @api.post("/imports/members", status_code=202)
    async def import_members(
        request: Request, filename: Annotated[str, Query(min_length=5, max_length=200)]
    ) -> s.ImportStatus:
        """Upload a CSV or XLSX export as the request body; the import runs as a job."""
        if Path(filename).suffix.lower() not in FILE_TYPES:
            raise refuse(
                "unsupported_file",
                "upload a .csv or .xlsx file",
                "hãy tải lên tệp .csv hoặc .xlsx",
            )
        content = await request.body()
        if not content or len(content) > MAX_UPLOAD_BYTES:
            raise refuse(
                "bad_upload_size",
                f"the file must be between 1 byte and {MAX_UPLOAD_BYTES // 2**20} MiB",
                f"tệp phải có dung lượng từ 1 byte đến {MAX_UPLOAD_BYTES // 2**20} MiB",
            )
        return import_status(imports.start(filename, content))

    @api.get("/imports/{job_id}")
    async def import_progress(
        job_id: Annotated[str, Path_(pattern=r"^[0-9a-f]{32}$")],
    ) -> s.ImportStatus:
        job = imports.get(job_id)
        if job is None:
            raise NotFound(f"import job {job_id}", f"lượt nhập {job_id}")
        return import_status(job)

    @api.post("/units", status_code=201)
    async def create_unit(body: s.CreateUnit) -> s.Accepted:
        return accepted(
            await handlers.create_unit(
                body.unit_id,
                kind=body.kind,
                name=body.name,
                parent_id=body.parent_id,
                valid_from=body.valid_from,
            )
        )

    @api.post("/members", status_code=201)
    async def register_member(body: s.RegisterMember) -> s.MemberAccepted:
        member_id, saved = await handlers.register_member(**body.model_dump())
        return s.MemberAccepted(member_id=member_id, **accepted(saved).model_dump())

    @api.post("/members/{member_id}/roles", status_code=201)
    async def give_role(member_id: UnitPath, body: s.GiveRole) -> s.Accepted:
        return accepted(await handlers.give_role(member_id, body.role, body.since))

    @api.post("/members/{member_id}/exemption", status_code=201)
    async def exempt(member_id: UnitPath, body: s.Exempt) -> s.Accepted:
        return accepted(await handlers.exempt_member(member_id, **body.model_dump()))

    @api.post("/members/{member_id}/transfer", status_code=201)
    async def transfer(member_id: UnitPath, body: s.Transfer) -> s.Accepted:
        return accepted(
            await handlers.transfer_member(member_id, to_branch_id=body.to_branch_id, on=body.on)
        )

    @api.post("/members/{member_id}/suspension", status_code=201)
    async def suspend(member_id: UnitPath, body: s.Suspend) -> s.Accepted:
        return accepted(await handlers.suspend_member(member_id, **body.model_dump()))

    @api.post("/members/{member_id}/departure", status_code=201)
    async def leave(member_id: UnitPath, body: s.Leave) -> s.Accepted:
        return accepted(await handlers.member_leaves(member_id, on=body.on, reason=body.reason))

    @api.post("/members/{member_id}/confirmation", status_code=201)
    async def confirm(member_id: UnitPath, body: s.Confirm) -> s.Accepted:
        return accepted(await handlers.confirm_member(member_id, body.on))

    @api.post("/members/{member_id}/temporary-attendance", status_code=201)
    async def attend_temporarily(member_id: UnitPath, body: s.TemporaryAttendance) -> s.Accepted:
        return accepted(await handlers.attend_temporarily(member_id, **body.model_dump()))

    @api.post("/units/{unit_id}/name", status_code=201)
    async def rename_unit(unit_id: UnitPath, body: s.Rename) -> s.Accepted:
        return accepted(await handlers.rename_unit(unit_id, body.name, body.valid_from))

    @api.post("/units/{unit_id}/dissolution", status_code=201)
    async def dissolve_unit(unit_id: UnitPath, body: s.Dissolve) -> s.Accepted:
        return accepted(await handlers.dissolve_unit(unit_id, body.valid_from, body.reason))

    @api.post("/branches/{branch_id}/households", status_code=201)
    async def register_households(branch_id: UnitPath, body: s.RegisterHouseholds) -> s.Accepted:
        pairs = [(h.household_id, h.label) for h in body.households]
        return accepted(await handlers.register_households(branch_id, pairs))

    @api.post("/branches/{branch_id}/plans/{year}", status_code=201)
    async def draft_plan(branch_id: UnitPath, year: Year, body: s.DraftPlan) -> s.Accepted:
        household_range = (body.min_households, body.max_households)
        return accepted(await handlers.draft_plan(branch_id, year, household_range))

    @api.post("/branches/{branch_id}/plans/{year}/assignments", status_code=201)
    async def assign(branch_id: UnitPath, year: Year, body: s.Assign) -> s.Accepted:
        pairs = [(a.member_id, a.household_ids) for a in body.assignments]
        return accepted(await handlers.assign(branch_id, year, pairs))

    @api.post("/branches/{branch_id}/plans/{year}/adoption", status_code=201)
    async def adopt(branch_id: UnitPath, year: Year, body: s.Adopt) -> s.Accepted:
        return accepted(
            await handlers.adopt_plan(
                branch_id,
                year,
                resolution_number=body.resolution_number,
                adopted_on=body.adopted_on,
            )
        )

    @api.get("/branches/{branch_id}/plans/{year}/coverage")
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
        )

    @api.post("/branches/{branch_id}/reports/{month}", status_code=201)
    async def submit_reports(
        branch_id: UnitPath, month: Month, body: s.SubmitReports
    ) -> s.Accepted:
        """A whole branch's reports for a month, as one command and one transaction."""
        entries = [
            ReportEntry(r.member_id, r.situation, r.submitted_on, r.entered_by, r.problems)
            for r in body.reports
        ]
        return accepted(
            await handlers.submit_reports(branch_id, month, entries, today=date.today())
        )

    @api.post("/branches/{branch_id}/reports/{month}/reviews", status_code=201)
    async def review_reports(
        branch_id: UnitPath, month: Month, body: s.ReviewReports
    ) -> s.Accepted:
        reviews = [ReviewEntry(r.member_id, r.evaluation, r.comment) for r in body.reviews]
        return accepted(
            await handlers.review_reports(branch_id, month, reviews, reviewed_on=body.reviewed_on)
        )

    @api.get("/branches/{branch_id}/reports/{month}")
    async def reports_of_month(branch_id: UnitPath, month: Month) -> s.MonthView:
        reports, problems = await month_reports(pool(), branch_id, month)
        rows = [s.MemberReport.model_validate(r) for r in reports]
        missing = [r.member_id for r in rows if r.state == "missing"]
        return s.MonthView(
            month=month,
            reported=f"{len(rows) - len(missing)}/{len(rows)}",
            late=sum(1 for r in rows if r.state == "late"),
            missing=missing,
            reports=rows,
            open_problems=[s.OpenProblem.model_validate(p) for p in problems],
        )

    @api.post("/problems/{problem_id}/escalation", status_code=201)
    async def escalate(problem_id: ProblemId, body: s.Escalate) -> s.Accepted:
        return accepted(await handlers.escalate_problem(problem_id, **body.model_dump()))

    @api.post("/problems/{problem_id}/resolution", status_code=201)
    async def resolve(problem_id: ProblemId, body: s.Resolve) -> s.Accepted:
        return accepted(await handlers.resolve_problem(problem_id, **body.model_dump()))

    return api
