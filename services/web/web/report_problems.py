"""The branch's open problems (vấn đề nảy sinh) and their follow-up: each stays on the list
until it is resolved, with how it was settled, or handed to a unit above with a note (an
escalated one stays listed until it is resolved up there). Routes of the monthly reports
screen, bound by `entrypoints/routes/reports.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .adapters.api import Api, ApiProblem
from .branch_data import today
from .csrf import verify_csrf
from .exports import Column, export
from .formats import day, month
from .rendering import language, page
from .report_data import load_problems, with_names
from .report_sheet import MAX_TEXT
from .session import SignedIn, User

STATUSES = {
    "open": ("Đang theo dõi", "Open"),
    "escalated": ("Đã báo cáo lên cấp trên", "Escalated"),
}
Action = Literal["resolution", "escalation"]


def add_problem_routes(router: APIRouter, api: Api) -> None:
    @router.get("/branches/{branch_id}/problems.{fmt}")
    async def problems_export(branch_id: str, fmt: Literal["xlsx", "csv"], user: User) -> Response:
        branch, problems, _ = await load_problems(api, user, branch_id)
        columns = ["Người nêu", "Tháng", "Ngày nêu", "Vấn đề", "Tình trạng", "Đã báo cáo lên"]
        rows = [
            [
                p.raised_by,
                month(p.month),
                day(p.raised_on),
                p.description,
                STATUSES.get(p.status, (p.status,))[0],
                p.escalated_to[0] if p.escalated_to else "",
            ]
            for p in problems
        ]
        stem = f"Vấn đề đang theo dõi {branch.name} {day(today()).replace('/', '-')}"
        return export(fmt, "Vấn đề", stem, [Column(c) for c in columns], rows)

    @router.get("/branches/{branch_id}/problems", response_class=HTMLResponse)
    async def problems_page(
        request: Request, branch_id: str, user: User, done: str = ""
    ) -> HTMLResponse:
        return await _page(request, api, user, branch_id, done=done)

    @router.post(
        "/branches/{branch_id}/problems/{problem_id}/{action}", dependencies=[Depends(verify_csrf)]
    )
    async def follow_up(
        request: Request, branch_id: str, problem_id: str, action: Action, user: User
    ) -> Response:
        form = await request.form()
        lang = language(request)
        _, problems, above = await load_problems(api, user, branch_id)
        found = next((p for p in problems if p.problem_id == problem_id), None)
        typed = {k: v for k, v in form.items() if isinstance(v, str) and k not in {"csrf", "key"}}
        if found is None:  # resolved meanwhile, on another phone
            return RedirectResponse(f"/branches/{branch_id}/problems?done=gone", 303)
        text_field = "resolution" if action == "resolution" else "note"
        body: dict[str, Any] = {text_field: " ".join(typed.get(text_field, "").split())}
        error = _check_day(typed.get("on", ""), dt.date.fromisoformat(found.raised_on), lang)
        body["on"] = typed.get("on", "")
        if action == "escalation":
            body["to_unit_id"] = typed.get("to_unit_id", "")
            if body["to_unit_id"] not in {u.unit_id for u in above}:
                error = error or _say(
                    lang, "Xin chọn cấp trên nhận vấn đề.", "Choose a unit above."
                )
        if not body[text_field] or len(body[text_field]) > MAX_TEXT:
            what = ("cách giải quyết", "how it was settled")
            if action == "escalation":
                what = ("ghi chú gửi cấp trên", "the note")
            error = error or _say(
                lang,
                f"Xin ghi {what[0]} (tối đa {MAX_TEXT} ký tự).",
                f"Please write {what[1]} (at most {MAX_TEXT} characters).",
            )
        if error is None:
            try:
                key = form.get("key")
                await api.post(
                    "assignment",
                    f"/problems/{problem_id}/{action}",
                    user.token,
                    json=body,
                    key=key if isinstance(key, str) and key else None,
                )
            except ApiProblem as problem:
                if problem.status in {401, 403}:
                    raise
                error = with_names(problem.text(lang), {}, lang)
        if error is not None:
            failed = {"problem_id": problem_id, "action": action, "message": error, **typed}
            return await _page(request, api, user, branch_id, failed=failed, status_code=422)
        return RedirectResponse(f"/branches/{branch_id}/problems?done={action}#done", 303)


def _say(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _check_day(raw: str, raised_on: dt.date, lang: str) -> str | None:
    try:
        chosen: dt.date | None = dt.date.fromisoformat(raw)
    except ValueError:
        chosen = None
    now = today()
    if chosen is None or not raised_on <= chosen <= now:
        return _say(
            lang,
            f"Ngày phải từ {day(raised_on)} (ngày nêu vấn đề) đến {day(now)}.",
            f"The day must be from {day(raised_on)} (when it was raised) to {day(now)}.",
        )
    return None


async def _page(
    request: Request,
    api: Api,
    user: SignedIn,
    branch_id: str,
    *,
    done: str = "",
    failed: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    branch, problems, above = await load_problems(api, user, branch_id)
    return page(
        request,
        "report_problems.html",
        status_code=status_code,
        branch=branch,
        problems=problems,
        above=above,
        done=done,
        failed=failed or {},
        statuses=STATUSES,
        now=today().isoformat(),
    )
