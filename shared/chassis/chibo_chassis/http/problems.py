"""Errors as RFC 9457 problem+json, each with a Vietnamese and an English message.

Clients switch on `code`; people read `detail_vi` or `detail`. A 500 never leaks internals:
it names the correlation id to quote to the IT team, and the log holds the traceback. An
outage of PostgreSQL or NATS is a 503 with `Retry-After`, not a 500: nothing is wrong with
the request, and the log says once that the dependency is down, not once per request.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from chibo_kernel.context import current_trace
from chibo_kernel.errors import ChiboError, ConcurrencyError, Conflict, NotFound, RuleViolation
from chibo_kernel.logging import get_logger
from chibo_kernel.outages import DATABASE, KEYRING, NATS, Outage

from ..auth.policy import Forbidden
from .invalid_request import invalid_request_vi, problem_vi

log = get_logger("chibo.http")

MEDIA_TYPE = "application/problem+json"

# Above the largest legitimate body (a 20 MiB member export): nothing bigger is read.
MAX_BODY_BYTES = 24 * 1024 * 1024


class BodyTooLarge(ChiboError):
    code = "body_too_large"

    def __init__(self) -> None:
        limit = MAX_BODY_BYTES // 2**20
        super().__init__(
            f"the request body is larger than {limit} MiB",
            f"nội dung yêu cầu lớn hơn {limit} MiB",
        )


_STATUS: list[tuple[type[ChiboError], int]] = [
    (Forbidden, 403),
    (BodyTooLarge, 413),
    (ConcurrencyError, 409),
    (Conflict, 409),
    (NotFound, 404),
    (RuleViolation, 422),
]


_PROBLEM_FIELDS = frozenset(
    {"type", "title", "status", "code", "detail", "detail_vi", "correlation_id"}
)


def problem(status: int, code: str, en: str, vi: str, **extra: Any) -> Response:
    body = {
        "type": f"urn:chibo:problem:{code}",
        "title": code.replace("_", " "),
        "status": status,
        "code": code,
        "detail": en,
        "detail_vi": vi,
        "correlation_id": current_trace().correlation_id,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def status_of(exc: ChiboError) -> int:
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 400


async def _chibo_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ChiboError)
    return problem(status_of(exc), exc.code, exc.message_en, exc.message_vi, **details_of(exc))


def details_of(exc: ChiboError) -> dict[str, Any]:
    """The extra fields an error carries for programs (a Conflict's holder, the ids of the
    members a refusal names); the fields every problem has are never overwritten."""
    found = getattr(exc, "details", None)
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if k not in _PROBLEM_FIELDS}


async def _invalid_request(_: Request, exc: Exception) -> Response:
    """`detail_vi` is made from each error's type (`invalid_request.py`), never from
    pydantic's English message; each error carries both, with the field's API name."""
    assert isinstance(exc, RequestValidationError)
    found = list(exc.errors())
    errors = [
        {
            "field": ".".join(str(p) for p in e["loc"]),
            "problem": e["msg"],
            "problem_vi": problem_vi(e),
        }
        for e in found
    ]
    first = errors[0] if errors else {"field": "?", "problem": "invalid"}
    more = f"; and {len(errors) - 1} more" if len(errors) > 1 else ""
    return problem(
        422,
        "invalid_request",
        f"invalid request: {first['field']}: {first['problem']}{more}",
        invalid_request_vi(found),
        errors=errors,
    )


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return problem(404, "not_found", "no such resource", "không có tài nguyên này")
    if exc.status_code == 405:
        return problem(405, "method_not_allowed", "method not allowed", "phương thức không hợp lệ")
    if exc.status_code == 400:  # FastAPI could not parse the body (bad JSON, too deep, cut off)
        return problem(
            400,
            "unreadable_body",
            f"the request body could not be read: {exc.detail}",
            "không đọc được nội dung yêu cầu (JSON sai cú pháp, lồng quá sâu hoặc bị cắt cụt)",
        )
    return problem(
        exc.status_code, "http_error", str(exc.detail), f"yêu cầu bị từ chối (mã {exc.status_code})"
    )


async def _unstorable(_: Request, exc: Exception) -> Response:
    return unstorable(exc)


def unstorable(exc: Exception) -> Response:
    """PostgreSQL refused a value the request carried (a NUL in text, a number past its
    column): the statement failed inside its transaction, so nothing was stored."""
    return problem(
        422,
        "unstorable_value",
        f"the request carries a value that cannot be stored ({type(exc).__name__}), "
        "e.g. a NUL character in text",
        f"yêu cầu chứa giá trị không lưu được ({type(exc).__name__}), "
        "ví dụ ký tự NUL trong văn bản",
    )


def internal_error() -> Response:
    return problem(
        500,
        "internal_error",
        "internal error; quote the correlation id to the IT team",
        "lỗi hệ thống; hãy báo mã tương quan (correlation id) cho bộ phận CNTT",
    )


# Long enough for a switchover or a restart to make progress, short enough that a person
# retrying by hand does not give up; the readiness check notices the return within a second.
RETRY_AFTER_SECONDS = 5
_DEPENDENCY_NAMES = {
    DATABASE: ("its database (PostgreSQL)", "cơ sở dữ liệu (PostgreSQL)"),
    NATS: ("its message server (NATS)", "máy chủ tin nhắn (NATS)"),
    KEYRING: ("the keyring database (PostgreSQL)", "cơ sở dữ liệu khóa mã hóa (PostgreSQL)"),
}


def unavailable(outage: Outage) -> Response:
    en_name, vi_name = _DEPENDENCY_NAMES[outage.dependency]
    seconds = RETRY_AFTER_SECONDS
    response = problem(
        503,
        "dependency_unavailable",
        f"the service cannot reach {en_name} right now; try again in {seconds} seconds",
        f"dịch vụ tạm thời không kết nối được {vi_name}; hãy thử lại sau {seconds} giây",
        dependency=outage.dependency,
        retry_after=seconds,
    )
    response.headers["Retry-After"] = str(seconds)
    return response


async def _unexpected(_: Request, exc: Exception) -> Response:
    """The last resort, for errors outside a request's context (the middleware answers the
    others with the request's correlation id)."""
    log.error("unhandled error", error=repr(exc), exc_info=exc)
    return internal_error()


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ChiboError, _chibo_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(asyncpg.DataError, _unstorable)
    app.add_exception_handler(Exception, _unexpected)
