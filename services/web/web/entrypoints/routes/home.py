"""The branch home: its members, this year's plan and what it leaves uncovered, the
households and who holds them, the Charter art. 8 flags; the unit tree for higher roles."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...adapters.api import Api
from ...branch_data import (
    ROLE_LABELS,
    STANDING_LABELS,
    STATUS_LABELS,
    branch_members,
    label,
    optional,
    today,
)
from ...exports import Column, export
from ...formats import ERASED_VI, day
from ...rendering import page
from ...session import SignedIn, User


def add_routes(router: APIRouter, api: Api) -> None:
    @router.get("/units", response_class=HTMLResponse)
    async def units(request: Request, user: User) -> HTMLResponse:
        tree = await api.get("assignment", "/org-tree", user.token)
        return page(request, "units.html", roots=tree.get("roots", []))

    @router.get("/branches/{branch_id}", response_class=HTMLResponse)
    async def branch_home(request: Request, branch_id: str, user: User) -> HTMLResponse:
        on = today()
        branch = await branch_members(api, user, branch_id, on)
        year, coverage = await _latest_plan(api, user, branch_id, on)
        month = f"{on.year:04}-{on.month:02}"
        households, meetings, reports = await asyncio.gather(
            optional(
                api.get(
                    "assignment", f"/branches/{branch_id}/households", user.token, {"year": year}
                )
            ),
            optional(api.get("attendance", f"/branches/{branch_id}/years/{on.year}", user.token)),
            optional(api.get("assignment", f"/branches/{branch_id}/reports/{month}", user.token)),
        )
        return page(
            request,
            "branch_home.html",
            branch=branch,
            year=year,
            coverage=coverage,
            households=households,
            flags=(meetings or {}).get("removal_review", []),
            months_missed=(meetings or {}).get("months_without_regular_meeting", []),
            problems=(reports or {}).get("open_problems", []),
            on=on,
        )


async def _latest_plan(
    api: Api, user: SignedIn, branch_id: str, on: dt.date
) -> tuple[int, dict[str, Any] | None]:
    """This year's plan, or last year's while this year's is not drafted yet."""
    for year in (on.year, on.year - 1):
        coverage = await optional(
            api.get("assignment", f"/branches/{branch_id}/plans/{year}/coverage", user.token)
        )
        if coverage is not None:
            return year, coverage
    return on.year, None


def add_member_exports(router: APIRouter, api: Api) -> None:
    @router.get("/branches/{branch_id}/members.{fmt}")
    async def members_export(branch_id: str, fmt: Literal["xlsx", "csv"], user: User) -> Response:
        on = today()
        branch = await branch_members(api, user, branch_id, on)
        rows = [
            [
                m.get("full_name") or ERASED_VI,
                ", ".join(label(ROLE_LABELS.get(r), "vi", r) for r in m.get("roles", [])),
                label(STATUS_LABELS.get(m.get("status", "")), "vi"),
                label(STANDING_LABELS.get(m.get("standing", "")), "vi"),
                day(m.get("admitted_on")),
            ]
            for m in branch.members
        ]
        columns = [
            Column("Họ và tên"),
            Column("Chức vụ"),
            Column("Đảng viên"),
            Column("Tình trạng"),
            Column("Ngày vào Đảng"),
        ]
        stem = f"Danh sách đảng viên {branch.name} {day(on).replace('/', '-')}"
        return export(fmt, "Đảng viên", stem, columns, rows)
