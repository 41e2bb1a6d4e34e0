"""Operational basics: configuration errors at startup, health endpoints, metrics."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from nats.aio.client import Client as NATS
from starlette.applications import Starlette
from starlette.routing import Route

from chibo_chassis import KernelSettings, load_settings
from chibo_chassis.health import database_check, health_routes, metrics_route, nats_check
from chibo_kernel import KernelMetrics
from chibo_kernel.db import create_pool
from chibo_kernel.errors import ConfigurationError
from chibo_kernel.pool import LeanPool

GOOD = {
    "CHIBO_DATABASE_URL": "postgresql://u@127.0.0.1:1/db",
    "CHIBO_NATS_URL": "nats://127.0.0.1:1",
}
STARTUP = (
    "from chibo_chassis import KernelSettings, settings_or_exit; settings_or_exit(KernelSettings)"
)


def start_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    return subprocess.run(
        [sys.executable, "-c", STARTUP],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({**GOOD, "CHIBO_HTTP_PORT": "eighty"}, "CHIBO_HTTP_PORT"),
        ({**GOOD, "CHIBO_NATS_URL": "127.0.0.1:4222"}, "CHIBO_NATS_URL"),
        ({"CHIBO_NATS_URL": GOOD["CHIBO_NATS_URL"]}, "CHIBO_DATABASE_URL"),
        ({**GOOD, "CHIBO_STREAM_REPLICAS": "7"}, "CHIBO_STREAM_REPLICAS"),
    ],
)
def test_an_invalid_configuration_stops_startup_with_one_line_naming_the_variable(
    env: dict[str, str], variable: str
) -> None:
    result = start_with(env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"chibo: configuration error: {variable}: ")


def test_a_valid_configuration_starts() -> None:
    assert start_with(GOOD).returncode == 0


def test_settings_error_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {**GOOD, "CHIBO_LOG_LEVEL": "LOUD"}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(KernelSettings)
    assert caught.value.variable == "CHIBO_LOG_LEVEL"
    assert caught.value.message_vi.startswith("lỗi cấu hình: CHIBO_LOG_LEVEL")


async def test_ready_reports_each_dependency_and_live_never_does(
    kernel_db: str, pool: LeanPool, nc: NATS
) -> None:
    metrics = KernelMetrics()
    metrics.events_appended.inc(3)
    routes = [
        *health_routes({"database": database_check(pool), "nats": nats_check(nc)}),
        metrics_route(metrics.registry),
    ]
    async with client_for(routes) as client:
        ready = await client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready", "checks": {"database": "ok", "nats": "ok"}}
        assert "chibo_events_appended_total 3.0" in (await client.get("/metrics")).text

    closed = await create_pool(kernel_db, min_size=0)
    await closed.close()
    async with client_for(health_routes({"database": database_check(closed)})) as client:
        assert (await client.get("/health/live")).status_code == 200
        not_ready = await client.get("/health/ready")
        assert not_ready.status_code == 503
        assert not_ready.json()["checks"]["database"].startswith("failed: ")


def client_for(routes: list[Route]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=Starlette(routes=routes))
    return httpx.AsyncClient(transport=transport, base_url="http://chibo.test")


def test_a_service_variable_read_through_aliases_is_named_as_the_operator_wrote_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assignment.settings import AssignmentSettings

    for key, value in {**GOOD, "CHIBO_ASSIGNMENT_HTTP_PORT": "abc"}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(AssignmentSettings)
    assert caught.value.variable == "CHIBO_ASSIGNMENT_HTTP_PORT or CHIBO_HTTP_PORT"
