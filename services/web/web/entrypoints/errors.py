"""What a person sees when something goes wrong: a page in their language that says what
happened and what to do, never a stack trace or a JSON body."""

from __future__ import annotations

import httpx2
from authlib.integrations.base_client import OAuthError
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from joserfc.errors import JoseError
from starlette.exceptions import HTTPException as StarletteHTTPException

from chibo_kernel.logging import get_logger

from ..adapters.api import ApiProblem
from ..rendering import language, page
from ..session import SignInRequired, sign_in_url

FORBIDDEN = (
    "Bạn không có quyền xem hoặc sửa nội dung này.",
    "You may not see or change this.",
)
NOT_FOUND = ("Không tìm thấy trang này.", "This page does not exist.")
EXPIRED_FORM = (
    "Biểu mẫu đã hết hạn. Xin tải lại trang rồi làm lại; chưa có gì được ghi.",
    "The form has expired. Please reload the page and try again; nothing was recorded.",
)
log = get_logger("chibo.web.signin")

SIGN_IN_FAILED = (
    "Đăng nhập không thành công. Xin thử lại.",
    "Signing in did not succeed. Please try again.",
)


def _message(request: Request, pair: tuple[str, str]) -> str:
    return pair[1] if language(request) == "en" else pair[0]


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(sign_in_url(exc.next_path), status_code=303)

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, exc: ApiProblem) -> Response:
        if exc.status == 401:  # the token expired or was refused: sign in again
            request.session.clear()
            return RedirectResponse(sign_in_url(request.url.path), status_code=303)
        text = exc.text(language(request))
        if exc.status == 403:
            text = _message(request, FORBIDDEN)
        return page(request, "error.html", status_code=exc.status, message=text)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        pairs = {403: EXPIRED_FORM if exc.detail == "csrf" else FORBIDDEN, 404: NOT_FOUND}
        pair = pairs.get(exc.status_code, (str(exc.detail), str(exc.detail)))
        return page(
            request, "error.html", status_code=exc.status_code, message=_message(request, pair)
        )

    async def sign_in_failed(request: Request, exc: Exception) -> Response:
        """The provider refused (OAuthError), its id_token did not verify (JoseError: a
        wrong nonce, signature or audience), or it did not answer (httpx2, Authlib's HTTP)."""
        log.warning("sign_in_failed", reason=type(exc).__name__, detail=str(exc)[:300])
        status = 502 if isinstance(exc, httpx2.HTTPError) else 400
        return page(
            request,
            "signin_failed.html",
            status_code=status,
            message=_message(request, SIGN_IN_FAILED),
        )

    for failure in (OAuthError, JoseError, httpx2.HTTPError):
        app.add_exception_handler(failure, sign_in_failed)
