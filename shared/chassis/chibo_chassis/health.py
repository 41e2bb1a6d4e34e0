"""Health and metrics endpoints as building blocks for each service's HTTP app.

- `/health/live`: the process answers; never checks dependencies (a restart would not help).
- `/health/ready`: every dependency check passes; 503 with the failing ones otherwise. A
  check that passes with something for an operator to see (`Degraded`: a foreign message
  quarantined on the stream, a consumer whose lag is unknown) answers 200, status
  "degraded", with the reason: taking every replica out of service would not repair it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from nats.aio.client import Client as NATS
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from chibo_kernel.outages import DependencyStatus
from chibo_kernel.pool import LeanPool

Check = Callable[[], Awaitable[None]]


class Degraded(Exception):
    """The dependency answers, but something needs an operator: the reason is shown."""


def database_check(pool: LeanPool, timeout: float = 2.0) -> Check:
    async def check() -> None:
        await asyncio.wait_for(pool.fetchval("SELECT 1"), timeout)

    return check


def nats_check(nc: NATS, timeout: int = 2) -> Check:
    async def check() -> None:
        if not nc.is_connected:
            raise ConnectionError("not connected to NATS")
        await nc.flush(timeout=timeout)

    return check


async def reported(status: DependencyStatus, dependency: str, check: Check) -> None:
    """Run a check and record what it found in the dependency's up/down state."""
    try:
        await check()
    except Exception as exc:
        status.unreachable(dependency, f"{type(exc).__name__}: {exc}".removesuffix(": "))
        raise
    status.reachable(dependency)


async def run_checks(checks: Mapping[str, Check]) -> dict[str, str]:
    async def one(check: Check) -> str:
        try:
            await check()
        except Degraded as exc:
            return f"degraded: {exc}"
        except Exception as exc:
            return f"failed: {type(exc).__name__}: {exc}"
        return "ok"

    results = await asyncio.gather(*(one(c) for c in checks.values()))
    return dict(zip(checks, results, strict=True))


def health_routes(checks: Mapping[str, Check]) -> list[Route]:
    async def live(_: Request) -> Response:
        return JSONResponse({"status": "live"})

    async def ready(_: Request) -> Response:
        results = await run_checks(checks)
        ok = all(v == "ok" or v.startswith("degraded: ") for v in results.values())
        status = "ready" if all(v == "ok" for v in results.values()) else "degraded"
        return JSONResponse(
            {"status": status if ok else "not ready", "checks": results},
            status_code=200 if ok else 503,
        )

    return [Route("/health/live", live), Route("/health/ready", ready)]


def metrics_route(registry: CollectorRegistry) -> Route:
    async def metrics(_: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return Route("/metrics", metrics)
