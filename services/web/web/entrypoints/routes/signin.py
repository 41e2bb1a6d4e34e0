"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...adapters.api import Api
from ...csrf import verify_csrf
from ...rendering import LANGUAGES, language, page
from ...roles import DEMO_ROLES
from ...session import current_user, sign_in
from ...settings import WebSettings
from ...signin import demo_role, demo_token, signed_in_from


def _safe_next(value: str | None) -> str:
    """Only a path of this app: never an open redirect to another site (browsers read
    `/\\evil.example` as `//evil.example`, and drop tabs and newlines)."""
    path = value or ""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path if path.isprintable() else "/"
    return "/"


def add_routes(router: APIRouter, settings: WebSettings, api: Api, oidc: Any | None) -> None:
    @router.get("/", include_in_schema=False)
    async def start(request: Request) -> Response:
        user = current_user(request)
        if user is None:
            return RedirectResponse("/sign-in", status_code=303)
        if user.role == "member" and user.member_id:
            return RedirectResponse("/me", status_code=303)
        if user.home_unit and user.is_branch_role:
            return RedirectResponse(f"/branches/{user.home_unit}", status_code=303)
        return RedirectResponse("/units", status_code=303)

    @router.get("/sign-in", response_class=HTMLResponse)
    async def sign_in_page(request: Request, next: str | None = None) -> HTMLResponse:
        return page(
            request,
            "signin.html",
            next=_safe_next(next),
            oidc=oidc is not None,
            demo_roles=DEMO_ROLES if settings.demo_signin else (),
        )

    @router.post("/sign-in/demo", dependencies=[Depends(verify_csrf)])
    async def demo(request: Request, role: str = Form(), next: str = Form("/")) -> Response:
        chosen = demo_role(role)
        if not settings.demo_signin or chosen is None:
            return RedirectResponse("/sign-in", status_code=303)
        token = await demo_token(settings, api, chosen)
        sign_in(request, await signed_in_from(api, token, language(request)))
        return RedirectResponse(_safe_next(next), status_code=303)

    @router.get("/sign-in/oidc")
    async def oidc_start(request: Request, next: str | None = None) -> Response:
        if oidc is None:
            return RedirectResponse("/sign-in", status_code=303)
        request.session["next"] = _safe_next(next)
        base = settings.public_url or str(request.base_url)
        redirect: Response = await oidc.authorize_redirect(
            request, f"{base.rstrip('/')}/sign-in/callback"
        )
        return redirect

    @router.get("/sign-in/callback")
    async def oidc_callback(request: Request) -> Response:
        if oidc is None:
            return RedirectResponse("/sign-in", status_code=303)
        next_path = _safe_next(request.session.pop("next", None))
        token = await oidc.authorize_access_token(request)
        sign_in(request, await signed_in_from(api, token["access_token"], language(request)))
        return RedirectResponse(next_path, status_code=303)

    @router.post("/sign-out", dependencies=[Depends(verify_csrf)])
    async def sign_out(request: Request) -> Response:
        lang = language(request)
        request.session.clear()
        request.session["lang"] = lang
        return RedirectResponse("/sign-in", status_code=303)

    @router.post("/language", dependencies=[Depends(verify_csrf)])
    async def choose_language(
        request: Request, lang: str = Form(), back: str = Form("/")
    ) -> Response:
        if lang in LANGUAGES:
            request.session["lang"] = lang
        return RedirectResponse(_safe_next(back), status_code=303)
