"""Uploading sheets: a plan's assignments (taken whole or refused row by row, at once) and a
member list (a job: a progress bar polled by htmx, then the rows it refused). Without
JavaScript the same forms post and the result comes as a whole page. Each answer carries a
fresh Idempotency-Key for the next upload: the service would take a second, different sheet
under the first one's key as a mistaken repeat."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chibo_chassis.spreadsheets import XLSX_MEDIA_TYPE, content_disposition

from ...adapters.api import Api, ApiProblem
from ...branch_data import Branch, branch_members, optional, today
from ...csrf import verify_csrf
from ...import_members_template import members_template
from ...import_results import (
    ImportResult,
    UploadRefused,
    job_progress,
    plan_refused,
    plan_taken,
    read_upload,
    refused_upload,
)
from ...rendering import language, page
from ...session import User

Year = Annotated[int, Path(ge=1930, le=2100)]
BranchId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
Upload = Annotated[UploadFile | None, File()]
Key = Annotated[str, Form(max_length=64)]


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _shown_here(problem: ApiProblem) -> bool:
    """A refusal of the sheet itself is shown with the form; the rest, the error page."""
    return problem.status not in {401, 403} and 400 <= problem.status < 500


def add_routes(router: APIRouter, api: Api) -> None:
    async def branch_of(user: Any, branch_id: str) -> Branch:
        return await branch_members(api, user, branch_id, today())

    def plan_result(
        request: Request, branch: Branch, year: int, result: ImportResult | None
    ) -> HTMLResponse:
        context: dict[str, Any] = {"branch": branch, "year": year, "result": result}
        if _is_htmx(request):
            return page(request, "import_result.html", swapped=True, **context)
        return page(request, "plan_import.html", **context)

    @router.get("/branches/{branch_id}/plans/{year}/import", response_class=HTMLResponse)
    async def plan_import_page(
        request: Request, branch_id: BranchId, year: Year, user: User
    ) -> HTMLResponse:
        return plan_result(request, await branch_of(user, branch_id), year, None)

    @router.post("/branches/{branch_id}/plans/{year}/import", dependencies=[Depends(verify_csrf)])
    async def plan_import(
        request: Request, branch_id: BranchId, year: Year, user: User, key: Key, file: Upload = None
    ) -> HTMLResponse:
        lang = language(request)
        branch = await branch_of(user, branch_id)
        try:
            filename, content = await read_upload(file)
        except UploadRefused as refused:
            return plan_result(request, branch, year, refused_upload("", refused.text(lang)))
        path = f"/branches/{branch_id}/plans/{year}/assignments/import"
        try:
            answer = await api.post(
                "assignment",
                path,
                user.token,
                content=content,
                params={"filename": filename},
                key=key,
            )
        except ApiProblem as problem:
            if not _shown_here(problem):
                raise
            area = await optional(
                api.get("assignment", f"/branches/{branch_id}/households", user.token)
            )
            labels = {h["household_id"]: h["label"] for h in (area or {}).get("households", [])}
            result = plan_refused(filename, problem, lang, labels)
            return plan_result(request, branch, year, result)
        return plan_result(request, branch, year, plan_taken(filename, answer))

    def members_result(
        request: Request, branch: Branch, result: ImportResult | None
    ) -> HTMLResponse:
        if _is_htmx(request):
            return page(request, "import_result.html", branch=branch, result=result, swapped=True)
        return page(request, "import_members.html", branch=branch, result=result)

    @router.get("/branches/{branch_id}/members/import", response_class=HTMLResponse)
    async def members_import_page(
        request: Request, branch_id: BranchId, user: User
    ) -> HTMLResponse:
        return members_result(request, await branch_of(user, branch_id), None)

    @router.get("/branches/{branch_id}/members/import/template.xlsx")
    async def members_sheet(branch_id: BranchId, user: User) -> Response:
        branch = await branch_of(user, branch_id)
        stem = f"Danh sách đảng viên {branch.name}"
        return Response(
            members_template(branch),
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": content_disposition(stem, "xlsx", "dang-vien")},
        )

    @router.post("/branches/{branch_id}/members/import", dependencies=[Depends(verify_csrf)])
    async def members_import(
        request: Request, branch_id: BranchId, user: User, key: Key, file: Upload = None
    ) -> Response:
        lang = language(request)
        branch = await branch_of(user, branch_id)
        try:
            filename, content = await read_upload(file)
            status = await api.post(
                "assignment",
                "/imports/members",
                user.token,
                content=content,
                params={"filename": filename},
                key=key,
            )
        except UploadRefused as refused:
            return members_result(request, branch, refused_upload("", refused.text(lang)))
        except ApiProblem as problem:
            if not _shown_here(problem):
                raise
            return members_result(request, branch, refused_upload(filename, problem.text(lang)))
        job = f"/branches/{branch_id}/imports/{status['job_id']}"
        if not _is_htmx(request):  # the job's own page, which a reload brings up to date
            return RedirectResponse(job, status_code=303)
        return members_result(request, branch, job_progress(status, lang))

    @router.get("/branches/{branch_id}/imports/{job_id}", response_class=HTMLResponse)
    async def member_job(
        request: Request, branch_id: BranchId, job_id: JobId, user: User
    ) -> HTMLResponse:
        status = await api.get("assignment", f"/imports/{job_id}", user.token)
        result = job_progress(status, language(request))
        if _is_htmx(request):
            return page(request, "import_result.html", branch=Branch(branch_id, ""), result=result)
        return members_result(request, await branch_of(user, branch_id), result)
