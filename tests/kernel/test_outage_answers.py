"""What the HTTP app answers when a request meets an outage of NATS, and when it meets a
defect: a 503 that marks the dependency down, or a 500 that leaves it alone."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter
from nats.aio.client import Client as NATS
from signin import ADMIN, AUDIENCE, ISSUER, SECRET

from chibo_chassis.auth import SharedSecretVerifier
from chibo_chassis.http import create_app
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.outages import outage_of


def app_with(router: APIRouter, metrics: KernelMetrics) -> httpx.AsyncClient:
    app = create_app(
        title="outages",
        version="0",
        metrics=metrics,
        checks={},
        verifier=SharedSecretVerifier(SECRET, issuer=ISSUER, audience=AUDIENCE),
        routers=[router],
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://outages", headers=ADMIN)


def nats_up(metrics: KernelMetrics) -> float | None:
    return metrics.registry.get_sample_value("chibo_dependency_up", {"dependency": "nats"})


async def test_no_responders_on_nats_is_answered_503_and_marks_nats_down(nc: NATS) -> None:
    router = APIRouter()

    @router.get("/v1/ask")
    async def ask() -> None:
        await nc.request("chibo.nobody.listens", b"", timeout=1)

    metrics = KernelMetrics()
    async with app_with(router, metrics) as client:
        response = await client.get("/v1/ask", headers={"X-Correlation-Id": "ask-1"})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert (body["code"], body["dependency"]) == ("dependency_unavailable", "nats")
    assert "NATS" in body["detail"]
    assert "NATS" in body["detail_vi"]
    assert body["correlation_id"] == "ask-1"
    assert nats_up(metrics) == 0
    assert metrics.dependencies.is_down("nats")


async def test_a_defect_is_a_500_and_leaves_the_dependencies_up() -> None:
    router = APIRouter()

    @router.get("/v1/boom")
    async def boom() -> None:
        raise KeyError("a bug, not an outage")

    metrics = KernelMetrics()
    async with app_with(router, metrics) as client:
        response = await client.get("/v1/boom")

    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "retry-after" not in response.headers
    assert not metrics.dependencies.any_down


def test_a_timeout_raised_outside_the_clients_is_not_taken_for_an_outage() -> None:
    def own_deadline() -> None:
        raise TimeoutError("our own code's deadline")

    with pytest.raises(TimeoutError) as raised:
        own_deadline()
    assert outage_of(raised.value) is None
