"""Per-request context: correlation id, acting user, and the request duration metric.

Until sign-in exists, the acting user comes from `X-Chibo-Actor`; the sign-in issue
replaces that with the verified token's subject. Both ids are bounded and charset-checked:
they end up in headers, logs and stored events.
"""

from __future__ import annotations

import re
import time
import uuid

from prometheus_client import CollectorRegistry, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..context import traced

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:@\-]{1,128}$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            text = value.decode("latin-1")
            return text if _SAFE_ID.match(text) else None
    return None


class RequestContext:
    def __init__(self, app: ASGIApp, registry: CollectorRegistry) -> None:
        self.app = app
        self.duration = Histogram(
            "chibo_http_request_duration_seconds",
            "HTTP request duration, by route template, method and status class",
            ["method", "route", "status"],
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = _header(scope, b"x-correlation-id") or str(uuid.uuid4())
        actor = _header(scope, b"x-chibo-actor")
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-correlation-id", correlation_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            with traced(correlation_id, actor=actor):
                await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            self.duration.labels(scope["method"], template, f"{status // 100}xx").observe(
                time.perf_counter() - started
            )
