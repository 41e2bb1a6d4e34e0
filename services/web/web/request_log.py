"""One log line and one histogram sample per request, under the same metric name as the
APIs', so the HTTP 5xx and latency alerts cover the app too. The line names the route
template, never the path: a path holds ids, and a query string may hold a name."""

from __future__ import annotations

import time
import uuid

from prometheus_client import CollectorRegistry, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chibo_kernel.logging import get_logger

log = get_logger("chibo.web.http")


class RequestLog:
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
        correlation_id = str(uuid.uuid4())
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    *message.get("headers", []),
                    (b"x-correlation-id", correlation_id.encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            seconds = time.perf_counter() - started
            self.duration.labels(scope["method"], route, f"{status // 100}xx").observe(seconds)
            log.info(
                "http request",
                method=scope["method"],
                route=route,
                status=status,
                duration_ms=round(seconds * 1000, 1),
                correlation_id=correlation_id,
            )
