"""Per-request context: correlation id, the signed-in principal, and the request duration.

Every route but health, metrics and the API documents needs a bearer token; it is checked
here, before routing, so an unauthenticated caller learns nothing, not even which paths
exist. The verified principal is put in force for the request: the policy reads it, and
its subject and role go into the envelope of every event the request appends.

Each request ends with one access log line (method, route template, status, duration,
principal, correlation id): the correlation id an error body names leads to it. An outage
of PostgreSQL or NATS met by a request is answered 503 and marks the dependency down.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chibo_kernel.context import traced
from chibo_kernel.logging import get_logger
from chibo_kernel.outages import DependencyStatus, outage_of

from ..auth.policy import acting_as
from ..auth.principal import BadClaims, Principal
from ..auth.tokens import TokenRejected, TokenVerifier
from .api_docs import OPEN_PATHS as DOCS_PATHS
from .problems import MAX_BODY_BYTES, BodyTooLarge, internal_error, problem, unavailable

log = get_logger("chibo.http")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:@\-]{1,128}$")
OPEN_PATHS = frozenset({"/health/live", "/health/ready", "/metrics", "/openapi.json"}) | DOCS_PATHS
MAX_TOKEN_BYTES = 16 * 1024  # a JWT with a few claims is under 2 KiB
CLIENT_CLOSED = 499


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            text = value.decode("latin-1")
            return text if _SAFE_ID.match(text) else None
    return None


def _bearer(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"authorization":
            text: str = value.decode("latin-1")
            scheme, _, token = text.partition(" ")
            if scheme.lower() == "bearer" and 0 < len(token) <= MAX_TOKEN_BYTES:
                return token.strip()
            return None
    return None


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _bounded(receive: Receive) -> Receive:
    """A chunked body without a length is counted as it arrives and cut off at the limit."""
    seen = 0

    async def bounded() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise BodyTooLarge()
        return message

    return bounded


class RequestContext:
    def __init__(
        self,
        app: ASGIApp,
        registry: CollectorRegistry,
        verifier: TokenVerifier,
        dependencies: DependencyStatus | None = None,
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.dependencies = dependencies
        self.duration = Histogram(
            "chibo_http_request_duration_seconds",
            "HTTP request duration, by route template, method and status class",
            ["method", "route", "status"],
            registry=registry,
        )
        self.refused = Counter(
            "chibo_http_sign_in_refused_total",
            "Requests refused at sign-in (no, bad, expired or unverifiable token)",
            ["reason"],
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = _header(scope, b"x-correlation-id") or str(uuid.uuid4())
        status = 500
        started = time.perf_counter()

        responded = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                responded = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-correlation-id", correlation_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        principal = None
        try:
            with traced(correlation_id):
                declared = _content_length(scope)
                if declared is not None and declared > MAX_BODY_BYTES:
                    error = BodyTooLarge()
                    response = problem(413, error.code, error.message_en, error.message_vi)
                    await response(scope, receive, send_with_id)
                    return
                receive = _bounded(receive)
                if scope["path"] not in OPEN_PATHS:
                    principal = await self._sign_in(scope, receive, send_with_id)
                    if principal is None:
                        return
                with (
                    traced(
                        correlation_id,
                        actor=principal.subject if principal else None,
                        role=str(principal.role) if principal else None,
                    ),
                    acting_as(principal),
                ):
                    try:
                        await self.app(scope, receive, send_with_id)
                    except asyncio.CancelledError:
                        # The client went away before the answer: not a server error (the
                        # 499 of nginx), or every closed browser tab would count as a 5xx.
                        if not responded:
                            status = CLIENT_CLOSED
                        raise
                    except Exception as exc:
                        # Answered here, inside the request's trace, so that the 500 or 503
                        # and its log line name the request's correlation id (the app's own
                        # handler runs outside this middleware, where the trace is gone).
                        if responded:
                            raise
                        await self._answer_error(exc)(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            seconds = time.perf_counter() - started
            self.duration.labels(scope["method"], template, f"{status // 100}xx").observe(seconds)
            log.info(
                "http request",
                method=scope["method"],
                route=template,
                status=status,
                duration_ms=round(seconds * 1000, 1),
                principal=principal.subject if principal else None,
                correlation_id=correlation_id,
            )

    def _answer_error(self, exc: Exception) -> Response:
        """A 503 for an outage (the dependency's state logs it, once), else a 500 whose
        traceback is logged: a defect to fix."""
        outage = outage_of(exc)
        if outage is None:
            log.error("unhandled error", error=repr(exc), exc_info=exc)
            return internal_error()
        if self.dependencies is not None:
            self.dependencies.unreachable(outage.dependency, outage.reason)
        return unavailable(outage)

    async def _sign_in(self, scope: Scope, receive: Receive, send: Send) -> Principal | None:
        """The verified principal, or None once a 401 has been sent."""
        token = _bearer(scope)
        if token is None:
            reason, en, vi = (
                "missing",
                "sign-in required: send `Authorization: Bearer <token>`",
                "cần đăng nhập: gửi `Authorization: Bearer <thẻ truy cập>`",
            )
        else:
            try:
                return await self.verifier.verify(token)
            except TokenRejected as exc:  # a small fixed set of reasons: fit for a label
                reason, en, vi = exc.reason, exc.message_en, exc.message_vi
            except BadClaims as exc:
                reason, en, vi = "bad_claims", exc.message_en, exc.message_vi
        self.refused.labels(reason).inc()
        response = problem(401, "unauthenticated", en, vi)
        response.headers["WWW-Authenticate"] = 'Bearer realm="chibo"'
        await response(scope, receive, send)
        return None
