"""A member's own page: their year as the rating service counts it (meetings, reports,
the proposed and decided level with its reasons), and everything the system holds about
them, as spreadsheets (their right of access, Law 91/2025/QH15 art. 4 cl. 1)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from chibo_chassis.spreadsheets import XLSX_MEDIA_TYPE, content_disposition

from ...adapters.api import Api
from ...branch_data import optional, today
from ...rendering import language, page
from ...session import User

LEVELS = {
    "excellent": ("Hoàn thành xuất sắc nhiệm vụ", "Excellent"),
    "good": ("Hoàn thành tốt nhiệm vụ", "Good"),
    "completed": ("Hoàn thành nhiệm vụ", "Completed"),
    "not_completed": ("Không hoàn thành nhiệm vụ", "Not completed"),
}
Service = Literal["assignment", "attendance", "rating"]


def add_routes(router: APIRouter, api: Api) -> None:
    @router.get("/me", response_class=HTMLResponse)
    async def me(request: Request, user: User, year: int | None = None) -> HTMLResponse:
        if user.member_id is None:
            raise HTTPException(404)
        chosen = year or today().year
        card = await optional(
            api.get("rating", f"/members/{user.member_id}/scorecard/{chosen}", user.token)
        )
        lang = language(request)
        return page(
            request,
            "member_home.html",
            year=chosen,
            card=card,
            level=lambda value: _level(value, lang),
            reasons=[_half(r, lang) for r in (card or {}).get("reasons", [])],
        )

    @router.get("/me/personal-data/{service}.xlsx")
    async def personal_data(
        service: Literal["assignment", "attendance", "rating"], user: User
    ) -> Response:
        if user.member_id is None:
            raise HTTPException(404)
        body = await api.get_bytes(
            service, f"/members/{user.member_id}/personal-data", user.token, {"format": "xlsx"}
        )
        stem = f"Dữ liệu cá nhân {service} {today().strftime('%d-%m-%Y')}"
        return Response(
            body,
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": content_disposition(stem, "xlsx", "du-lieu-ca-nhan")},
        )


def _level(value: Any, lang: str) -> str:
    vi, en = LEVELS.get(str(value), ("—", "—"))
    return en if lang == "en" else vi


def _half(reason: str, lang: str) -> str:
    """The rating service writes each reason "English | Tiếng Việt"."""
    english, _, vietnamese = reason.partition(" | ")
    return english if lang == "en" or not vietnamese else vietnamese
