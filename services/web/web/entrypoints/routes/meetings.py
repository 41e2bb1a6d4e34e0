"""The meeting screens: a branch's year of meetings, scheduling one, and the meeting sheet
(everyone present by default, the exceptions marked, guests from higher committees ticked,
recorded as one command), its quality verdict as it is filled, and the sheet as XLSX or
CSV, out and back in."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from ...adapters.api import Api, ApiProblem
from ...branch_data import branch_members, optional, today
from ...csrf import verify_csrf
from ...exports import export
from ...formats import day
from ...meeting_files import COLUMNS, MAX_BYTES, export_rows, read_upload
from ...meeting_guests import guest_marks
from ...meeting_page import MeetingPage, filled_message, load
from ...meeting_schedule import schedule_body
from ...meeting_sheet import (
    KIND_LABELS,
    LEVEL_LABELS,
    STATE_LABELS,
    decode_runs,
    hold_body,
    point_at_refused,
    read_form,
    times_of,
)
from ...meeting_times import local, parse_day
from ...meeting_verdict import facts_from_form, judge
from ...rendering import language, page
from ...session import SignedIn, User

MeetingId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
BranchId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
CSRF = [Depends(verify_csrf)]
# Refusals a form shows beside what was typed; the others are the error page's.
PAGE_ERRORS = {401, 403, 404}


def add_routes(router: APIRouter, api: Api) -> None:
    @router.get("/branches/{branch_id}/meetings", response_class=HTMLResponse)
    async def year_of_meetings(
        request: Request,
        branch_id: BranchId,
        user: User,
        year: Annotated[int | None, Query(ge=1930, le=2100)] = None,
    ) -> HTMLResponse:
        year = year or today().year
        view = await api.get("attendance", f"/branches/{branch_id}/years/{year}", user.token)
        branch = await branch_members(api, user, branch_id, today())
        by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for meeting in sorted(view.get("meetings", []), key=lambda m: m["scheduled_for"]):
            by_month[meeting["month"]].append({**meeting, "when": local(meeting["scheduled_for"])})
        return page(
            request,
            "meetings.html",
            branch=branch,
            branch_id=branch_id,
            year=year,
            months=view.get("months", []),
            by_month=by_month,
            missed=set(view.get("months_without_regular_meeting", [])),
            kind_labels=KIND_LABELS,
        )

    @router.get("/branches/{branch_id}/meetings/new", response_class=HTMLResponse)
    async def new_meeting(request: Request, branch_id: BranchId, user: User) -> HTMLResponse:
        branch = await branch_members(api, user, branch_id, today())
        view = await optional(
            api.get("attendance", f"/branches/{branch_id}/years/{today().year}", user.token)
        )
        places = [m["place"] for m in (view or {}).get("meetings", []) if m.get("place")]
        form = {"kind": "regular", "place": places[-1] if places else "", "time": "19:30"}
        return _schedule_form(request, branch, form, {})

    @router.post("/branches/{branch_id}/meetings", dependencies=CSRF)
    async def schedule(request: Request, branch_id: BranchId, user: User) -> Response:
        lang = language(request)
        form = {k: str(v)[:300] for k, v in (await request.form()).items() if isinstance(v, str)}
        branch = await branch_members(api, user, branch_id, today())
        body, errors = schedule_body(form, lang)
        if body is None:
            return _schedule_form(request, branch, form, errors)
        try:
            made = await api.post(
                "attendance",
                f"/branches/{branch_id}/meetings",
                user.token,
                json=body,
                key=form.get("key"),
            )
        except ApiProblem as problem:
            if problem.status in PAGE_ERRORS:
                raise
            return _schedule_form(request, branch, form, {}, problem.text(lang))
        return RedirectResponse(f"/meetings/{made['meeting_id']}", status_code=303)

    @router.get("/meetings/{meeting_id}.{fmt}")
    async def sheet_file(
        request: Request, meeting_id: MeetingId, fmt: Literal["xlsx", "csv"], user: User
    ) -> Response:
        found = await load(api, user, meeting_id, language(request), runs={})
        lines = found.recorded or (found.sheet.lines if found.sheet else [])
        title = KIND_LABELS.get(found.meeting["kind"], ("",))[0]
        stem = f"Điểm danh {title} {found.branch.name} {day(found.day).replace('/', '-')}"
        return export(fmt, "Điểm danh", stem, COLUMNS, export_rows(lines))

    @router.get("/meetings/{meeting_id}", response_class=HTMLResponse)
    async def sheet(request: Request, meeting_id: MeetingId, user: User) -> HTMLResponse:
        return _sheet_page(request, await load(api, user, meeting_id, language(request)))

    @router.post("/meetings/{meeting_id}", dependencies=CSRF)
    async def record(request: Request, meeting_id: MeetingId, user: User) -> Response:
        lang = language(request)
        form = await request.form()
        found = await _load_posted(user, meeting_id, lang, form)
        if found.sheet is None:  # recorded already (a second tab) or cancelled: show it
            return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)
        sheet = read_form(form, found.sheet)
        held = found.meeting["status"] == "held"
        times = None if held else times_of(sheet, lang)
        if not held and times is None:
            return await _refused(request, user, found, form, None)
        try:
            if held:
                path = f"/meetings/{meeting_id}/attendance"
                body = {"marks": sheet.marks(), "guests": guest_marks(sheet.guests)}
            else:
                assert times is not None
                path, body = f"/meetings/{meeting_id}/held", hold_body(sheet, *times)
            await api.post("attendance", path, user.token, json=body, key=str(form.get("key")))
        except ApiProblem as problem:
            if problem.status in PAGE_ERRORS:
                raise
            point_at_refused(sheet, problem.body)
            return await _refused(request, user, found, form, problem.text(lang))
        return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)

    @router.post("/meetings/{meeting_id}/verdict", response_class=HTMLResponse, dependencies=CSRF)
    async def verdict(request: Request, meeting_id: MeetingId, user: User) -> HTMLResponse:
        """htmx: the verdict of the sheet as it is being filled; nothing is recorded."""
        lang = language(request)
        facts = facts_from_form(await request.form())
        found, problem = await judge(api, user.token, facts, lang, recorded=False)
        return page(request, "meeting_verdict.html", verdict=found, verdict_problem=problem)

    @router.post("/meetings/{meeting_id}/sheet", response_class=HTMLResponse, dependencies=CSRF)
    async def upload(request: Request, meeting_id: MeetingId, user: User) -> HTMLResponse:
        """The sheet form posted with a file: the file's marks fill the form; the rest of
        what was typed stays; nothing is recorded until the secretary records it."""
        lang = language(request)
        form = await request.form()
        found = await _load_posted(user, meeting_id, lang, form)
        if found.sheet is None:
            return _sheet_page(request, found)
        sheet = read_form(form, found.sheet)
        file = form.get("file")
        content = await file.read(MAX_BYTES + 1) if isinstance(file, UploadFile) else b""
        uploaded = read_upload(content, sheet.lines, sheet.on or day(found.day), lang)
        found.problems = uploaded.problems
        if not uploaded.problems:  # a file with a bad row changes nothing typed
            for line in sheet.lines:
                line.state, line.reason = uploaded.marks.get(line.member_id, ("present", ""))
            absent = sum(1 for line in sheet.lines if line.state != "present")
            found.message = filled_message(lang, absent, uploaded.left_out)
        return await _with_form_verdict(request, user, found, form)

    async def _load_posted(
        user: SignedIn, meeting_id: str, lang: str, form: FormData
    ) -> MeetingPage:
        """The page behind a posted sheet: the roster of the day typed, the runs it carries."""
        on = parse_day(str(form.get("on", "")))
        return await load(api, user, meeting_id, lang, on, decode_runs(str(form.get("runs", ""))))

    async def _refused(
        request: Request, user: SignedIn, found: MeetingPage, form: FormData, message: str | None
    ) -> HTMLResponse:
        found.message = message or (
            "Xin sửa những mục được đánh dấu bên dưới. Chưa có gì được ghi."
            if language(request) == "vi"
            else "Please correct the fields marked below. Nothing was recorded."
        )
        return await _with_form_verdict(request, user, found, form, 422)

    async def _with_form_verdict(
        request: Request, user: SignedIn, found: MeetingPage, form: FormData, status: int = 200
    ) -> HTMLResponse:
        """The form as typed, and the verdict of it (shown without JS too)."""
        facts = facts_from_form(found.as_typed(form))
        found.verdict, found.verdict_problem = await judge(
            api, user.token, facts, language(request), recorded=False
        )
        return _sheet_page(request, found, status, str(form.get("key") or ""))


def _sheet_page(
    request: Request, found: MeetingPage, status_code: int = 200, key: str = ""
) -> HTMLResponse:
    return page(
        request,
        "meeting.html",
        status_code=status_code,
        **found.context(),
        kind_labels=KIND_LABELS,
        state_labels=STATE_LABELS,
        level_labels=LEVEL_LABELS,
        posted_key=key,  # a refused form keeps its key: only a success is kept with it
    )


def _schedule_form(
    request: Request,
    branch: Any,
    form: dict[str, str],
    errors: dict[str, str],
    message: str | None = None,
) -> HTMLResponse:
    return page(
        request,
        "meeting_new.html",
        status_code=422 if errors or message else 200,
        branch=branch,
        branch_id=branch.branch_id,
        form=form,
        errors=errors,
        message=message,
        kind_labels=KIND_LABELS,
        on_hint=day(today()),
    )
