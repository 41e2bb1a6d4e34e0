"""The year's plan: who looks after which households, coverage with who and what is left
uncovered, drafting the plan, giving a member households, the sheet to fill in, and the
plan as XLSX or CSV. Every rule stays in the assignment service; a refusal is shown on the
form it came from, with households said by their labels."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chibo_chassis.spreadsheets import XLSX_MEDIA_TYPE, content_disposition

from ...adapters.api import Api, ApiProblem
from ...branch_data import today
from ...csrf import verify_csrf
from ...exports import Column, export
from ...plan_data import DUTY_KINDS, PlanScreen, labelled, plan_screen
from ...plan_template import plan_template
from ...rendering import language, page
from ...session import User

Year = Annotated[int, Path(ge=1930, le=2100)]
BranchId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
MemberId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
STATUS = {
    "none": ("Chưa lập", "Not drafted"),
    "draft": ("Dự thảo, chưa thông qua", "Draft, not adopted yet"),
    "adopted": ("Đã thông qua", "Adopted"),
}
NOT_IN_PLAN = ("Không có đảng viên này trong kế hoạch.", "This member is not in the plan.")
NOTHING_NEW = (
    "Hãy chọn ít nhất một hộ mà đảng viên chưa phụ trách.",
    "Choose at least one household the member does not hold yet.",
)
NO_NEW_DUTY = (
    "Hãy chọn ít nhất một nhóm hộ, tuyến đường hoặc nhiệm vụ mà đảng viên chưa phụ trách.",
    "Choose at least one group, route or task the member does not hold yet.",
)


def plan_path(branch_id: str, year: int) -> str:
    return f"/branches/{branch_id}/plans/{year}"


def add_routes(router: APIRouter, api: Api) -> None:
    # Before `/plans/{year}`, which would otherwise take "2026.xlsx" for a year.
    @router.get("/branches/{branch_id}/plans/{year}.{fmt}")
    async def plan_export(
        branch_id: BranchId, year: Year, fmt: Literal["xlsx", "csv"], user: User
    ) -> Response:
        screen = await plan_screen(api, user, branch_id, year)
        rows = [
            [
                held.get("full_name"),
                len(held["households"]),
                ", ".join(h.get("label") or h["household_id"] for h in held["households"]),
                screen.duties_text(held),
            ]
            for held in screen.assignments
        ]
        columns = [
            Column("Họ và tên"),
            Column("Số hộ"),
            Column("Hộ phụ trách"),
            Column("Nhóm hộ, tuyến đường, nhiệm vụ"),
        ]
        stem = f"Phân công {screen.branch.name} năm {year}"
        return export(fmt, f"Phân công {year}", stem, columns, rows)

    @router.get("/branches/{branch_id}/plans", include_in_schema=False)
    async def this_year(branch_id: BranchId, user: User) -> Response:
        return RedirectResponse(plan_path(branch_id, today().year), status_code=303)

    @router.get("/branches/{branch_id}/plans/{year}", response_class=HTMLResponse)
    async def plan_page(
        request: Request, branch_id: BranchId, year: Year, user: User, saved: str | None = None
    ) -> HTMLResponse:
        screen = await plan_screen(api, user, branch_id, year)
        saved_name = screen.names.get(saved) if saved else None
        return _plan_page(request, screen, saved_name=saved_name)

    @router.post("/branches/{branch_id}/plans/{year}", dependencies=[Depends(verify_csrf)])
    async def draft(
        request: Request, branch_id: BranchId, year: Year, user: User, key: str = Form()
    ) -> Response:
        path = f"/branches/{branch_id}/plans/{year}"
        try:
            await api.post("assignment", path, user.token, json={}, key=key)
        except ApiProblem as problem:
            if problem.status in {401, 403} or problem.status >= 500:
                raise
            screen = await plan_screen(api, user, branch_id, year)
            return _plan_page(request, screen, problem=problem.text(language(request)))
        return RedirectResponse(plan_path(branch_id, year), status_code=303)

    @router.get(
        "/branches/{branch_id}/plans/{year}/members/{member_id}", response_class=HTMLResponse
    )
    async def member_form(
        request: Request, branch_id: BranchId, year: Year, member_id: MemberId, user: User
    ) -> HTMLResponse:
        screen = await plan_screen(api, user, branch_id, year)
        return _member_form(request, screen, member_id, chosen=None)

    @router.post(
        "/branches/{branch_id}/plans/{year}/assignments", dependencies=[Depends(verify_csrf)]
    )
    async def assign(
        request: Request,
        branch_id: BranchId,
        year: Year,
        user: User,
        member_id: Annotated[str, Form(max_length=64)],
        key: Annotated[str, Form(max_length=64)],
        households: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        chosen = sorted(set(households or []))
        screen = await plan_screen(api, user, branch_id, year)
        member = screen.member(member_id)
        held = {h["household_id"] for h in member["households"]} if member else set()
        new = [h for h in chosen if h not in held]
        if member is None or not new:  # no such member: the form answers 404
            message = NOTHING_NEW[language(request) == "en"]
            return _member_form(request, screen, member_id, chosen, problem=message)
        body = {"assignments": [{"member_id": member_id, "household_ids": new}]}
        try:
            await api.post(
                "assignment",
                f"{plan_path(branch_id, year)}/assignments",
                user.token,
                json=body,
                key=key,
            )
        except ApiProblem as problem:
            if problem.status in {401, 403} or problem.status >= 500:
                raise
            text = labelled(problem.text(language(request)), screen.labels)
            return _member_form(request, screen, member_id, chosen, problem=text)
        target = f"{plan_path(branch_id, year)}?saved={member_id}#member-{member_id}"
        return RedirectResponse(target, status_code=303)

    @router.post("/branches/{branch_id}/plans/{year}/duties", dependencies=[Depends(verify_csrf)])
    async def give_duties(
        request: Request,
        branch_id: BranchId,
        year: Year,
        user: User,
        member_id: Annotated[str, Form(max_length=64)],
        key: Annotated[str, Form(max_length=80)],
        duties: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        chosen = sorted(set(duties or []))
        screen = await plan_screen(api, user, branch_id, year)
        member = screen.member(member_id)
        mine = screen.held_duties(member) if member else set()
        new = [d.split(":", 1) for d in chosen if d not in mine and d.split(":")[0] in DUTY_KINDS]
        if member is None or not new:  # no such member: the form answers 404
            message = NO_NEW_DUTY[language(request) == "en"]
            return _member_form(request, screen, member_id, None, chosen, message)
        body = {"duties": [{"member_id": member_id, "kind": k, "target_id": t} for k, t in new]}
        try:
            await api.post(
                "assignment", f"{plan_path(branch_id, year)}/duties", user.token, json=body, key=key
            )
        except ApiProblem as problem:
            if problem.status in {401, 403} or problem.status >= 500:
                raise
            text = labelled(problem.text(language(request)), screen.duty_labels)
            return _member_form(request, screen, member_id, None, chosen, text)
        target = f"{plan_path(branch_id, year)}?saved={member_id}#member-{member_id}"
        return RedirectResponse(target, status_code=303)

    @router.get("/branches/{branch_id}/plans/{year}/template.xlsx")
    async def template(branch_id: BranchId, year: Year, user: User) -> Response:
        screen = await plan_screen(api, user, branch_id, year)
        stem = f"Bảng phân công {screen.branch.name} năm {year}"
        return Response(
            plan_template(screen),
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": content_disposition(stem, "xlsx", "phan-cong")},
        )


def _plan_page(
    request: Request,
    screen: PlanScreen,
    *,
    problem: str | None = None,
    saved_name: str | None = None,
) -> HTMLResponse:
    lang = language(request)
    status = screen.plan.get("status", "none")
    return page(
        request,
        "plan.html",
        status_code=422 if problem else 200,
        screen=screen,
        branch=screen.branch,
        year=screen.year,
        status_text=STATUS.get(status, (status, status))[lang == "en"],
        released=screen.released(lang),
        problem=problem,
        saved_name=saved_name,
    )


def _member_form(
    request: Request,
    screen: PlanScreen,
    member_id: str,
    chosen: list[str] | None,
    duties_chosen: list[str] | None = None,
    duties_problem: str | None = None,
    *,
    problem: str | None = None,
) -> HTMLResponse:
    held = screen.member(member_id)
    if held is None:
        message = NOT_IN_PLAN[language(request) == "en"]
        return page(request, "error.html", status_code=404, message=message)
    free, others = screen.choices_for(member_id)
    mine = {h["household_id"] for h in held["households"]}
    duties_free, duties_others = screen.duty_choices(member_id)
    duties_mine = screen.held_duties(held)
    return page(
        request,
        "plan_member.html",
        status_code=422 if problem or duties_problem else 200,
        screen=screen,
        branch=screen.branch,
        year=screen.year,
        held=held,
        duties_free=duties_free,
        duties_others=duties_others,
        duties_mine=duties_mine,
        duties_chosen=set(duties_chosen or []) | duties_mine,
        duties_problem=duties_problem,
        free=free,
        others=others,
        mine=mine,
        chosen=set(chosen or []) | mine,
        problem=problem,
    )
