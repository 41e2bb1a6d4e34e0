"""The monthly reports screen: a branch's whole month on one page, saved as one command;
the meeting's review of it; its exports. The problems the reports raise are followed up
on their own page (`report_problems.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...adapters.api import Api, ApiProblem
from ...branch_data import today
from ...csrf import verify_csrf
from ...exports import Column, export
from ...formats import day
from ...formats import month as month_text
from ...rendering import language, page
from ...report_data import Month, last_day, load_month, month_key, months_before, with_names
from ...report_problems import add_problem_routes
from ...report_sheet import (
    ENTERED_BY,
    EVALUATIONS,
    STATES,
    Checked,
    check_reviews,
    check_sheet,
)
from ...session import User

EARLIER_MONTHS = 12


def add_routes(router: APIRouter, api: Api) -> None:
    @router.get("/branches/{branch_id}/reports")
    async def this_month(branch_id: str, user: User) -> Response:
        return RedirectResponse(f"/branches/{branch_id}/reports/{month_key(today())}", 303)

    # Before the month's page, whose {month} would take "2026-11.xlsx" too.
    @router.get("/branches/{branch_id}/reports/{month}.{fmt}")
    async def month_export(
        branch_id: str, month: str, fmt: Literal["xlsx", "csv"], user: User
    ) -> Response:
        data = await load_month(api, user, branch_id, month)
        columns = ["Họ và tên", "Phụ trách", "Tình trạng", "Ngày nộp", "Người ghi", "Đánh giá"]
        rows = [
            [
                r.name,
                r.duty[0] if r.duty else "Các hộ được phân công",
                STATES.get(r.state, (r.state,))[0],
                day(r.submitted_on),
                ENTERED_BY[r.entered_by][0] if r.entered_by in ENTERED_BY else "",
                EVALUATIONS[r.evaluation][0] if r.evaluation in EVALUATIONS else "",
            ]
            for r in data.rows
        ]
        stem = f"Báo cáo tháng {month_text(month).replace('/', '-')} {data.branch.name}"
        return export(fmt, "Báo cáo tháng", stem, [Column(c) for c in columns], rows)

    @router.get("/branches/{branch_id}/reports/{month}", response_class=HTMLResponse)
    async def month_page(
        request: Request, branch_id: str, month: str, user: User, saved: int = 0, problems: int = 0
    ) -> HTMLResponse:
        data = await load_month(api, user, branch_id, month)
        return _page(request, data, saved=saved, problems_saved=problems)

    @router.get("/branches/{branch_id}/reports/{month}/problem-field", response_class=HTMLResponse)
    async def problem_field(
        request: Request, branch_id: str, month: str, row: int, n: int, user: User
    ) -> HTMLResponse:
        """htmx: one more "problem" box under a member's report, and the button for the next."""
        return page(
            request,
            "report_problem_field.html",
            branch_id=branch_id,
            month_key=month,
            index=row,
            n=n,
            value="",
            focus=True,
        )

    @router.post("/branches/{branch_id}/reports/{month}", dependencies=[Depends(verify_csrf)])
    async def save_month(request: Request, branch_id: str, month: str, user: User) -> Response:
        form = await request.form()
        data = await load_month(api, user, branch_id, month)
        entered_by = "member" if user.role == "member" else "secretary"
        lang = language(request)
        sheet = check_sheet(form, data.rows, data.first, data.today, entered_by, lang)
        more = form.get("more")
        if isinstance(more, str) and more.isdigit():  # "add a problem" without JavaScript
            sheet.errors = []
            return _page(request, data, sheet=sheet, more=int(more))
        if not sheet.errors:
            try:
                await api.post(
                    "assignment",
                    f"/branches/{branch_id}/reports/{month}",
                    user.token,
                    json={"reports": sheet.body},
                    key=_key(form),
                )
            except ApiProblem as problem:
                _refused(problem, sheet, data, lang)
        if sheet.errors:
            return _page(request, data, sheet=sheet, status_code=422)
        raised = sum(len(r["problems"]) for r in sheet.body)
        done = f"?saved={len(sheet.body)}&problems={raised}#saved"
        return RedirectResponse(f"/branches/{branch_id}/reports/{month}{done}", 303)

    @router.post(
        "/branches/{branch_id}/reports/{month}/reviews", dependencies=[Depends(verify_csrf)]
    )
    async def save_reviews(request: Request, branch_id: str, month: str, user: User) -> Response:
        form = await request.form()
        data = await load_month(api, user, branch_id, month)
        lang = language(request)
        review = check_reviews(form, data.rows, data.first, data.today, lang)
        if not review.errors:
            body = {"reviewed_on": review.date, "reviews": review.body}
            try:
                await api.post(
                    "assignment",
                    f"/branches/{branch_id}/reports/{month}/reviews",
                    user.token,
                    json=body,
                    key=_key(form),
                )
            except ApiProblem as problem:
                _refused(problem, review, data, lang)
        if review.errors:
            return _page(request, data, review=review, status_code=422)
        done = f"?saved={len(review.body)}#reviewed"
        return RedirectResponse(f"/branches/{branch_id}/reports/{month}{done}", 303)

    add_problem_routes(router, api)


def _key(form: Any) -> str | None:
    key = form.get("key")
    return key if isinstance(key, str) and key else None


def _refused(problem: ApiProblem, checked: Checked, data: Month, lang: str) -> None:
    """The service's refusal, shown on the form with what was typed; a sign-in that ran
    out or a refusal of the whole page goes to the error pages."""
    if problem.status in {401, 403}:
        raise problem
    checked.errors.append((None, with_names(problem.text(lang), data.names, lang)))


def _page(
    request: Request,
    data: Month,
    *,
    sheet: Checked | None = None,
    review: Checked | None = None,
    more: int | None = None,
    saved: int = 0,
    problems_saved: int = 0,
    status_code: int = 200,
) -> HTMLResponse:
    now = data.today.isoformat()
    earlier = months_before(data.first, EARLIER_MONTHS)
    after = last_day(data.first) + dt.timedelta(days=1)
    following = month_key(after) if after <= data.today else None
    return page(
        request,
        "reports_month.html",
        status_code=status_code,
        branch=data.branch,
        m=data,
        sheet=sheet or Checked(date=now),
        review=review or Checked(date=now),
        more=more,
        saved=saved,
        problems_saved=problems_saved,
        earlier=earlier,
        following=following,
        states=STATES,
        evaluations=EVALUATIONS,
        entered=ENTERED_BY,
    )
