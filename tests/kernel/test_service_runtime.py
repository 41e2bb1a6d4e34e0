"""The service chassis: HTTP conventions, events on the wire, graceful shutdown."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from signin import AUTH_ENV, AUTH_SETTINGS, token

from chibo_chassis import KernelSettings
from chibo_chassis.auth import Role
from chibo_kernel.pool import LeanPool
from chibo_tools.embedded.ports import free_port

from .support import eventually, new_service
from .toy_service import build

HERE = Path(__file__).parent
# The toy's route asks no permission: any signed-in role may call it.
MEMBER_9 = {"Authorization": "Bearer " + token(Role.MEMBER, "T", "m9", subject="user-9")}


@pytest.fixture
async def toy(kernel_db: str, nats_url: str) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    service = new_service()
    settings = KernelSettings(database_url=kernel_db, nats_url=nats_url, **AUTH_SETTINGS)
    app, runtime = build(service, settings)
    async with runtime.lifespan():
        yield service, client_for(app)


def client_for(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://toy.test", headers=MEMBER_9)


async def test_a_command_is_stored_and_published_with_its_actor_and_correlation(
    toy: tuple[str, httpx.AsyncClient], nc: NATS, pool: LeanPool
) -> None:
    service, client = toy
    received: list[Msg] = []

    async def on_message(msg: Msg) -> None:
        received.append(msg)

    sub = await nc.subscribe(f"chibo.{service}.>", cb=on_message)

    response = await client.post(
        "/things/t1/happenings",
        json={"n": 5},
        headers={"If-Match": "0", "X-Correlation-Id": "req-123"},
    )

    assert response.status_code == 201
    assert response.json() == {"version": 1}
    assert response.headers["x-correlation-id"] == "req-123"

    async def arrived() -> bool:
        return len(received) == 1

    await eventually(arrived, timeout=10, what="the event on NATS")
    await sub.unsubscribe()
    msg = received[0]
    assert msg.subject == f"chibo.{service}.thing.thing_happened.v1._"
    assert (msg.headers or {})["ce-correlationid"] == "req-123"
    assert (msg.headers or {})["ce-actor"] == "user-9"  # who acted travels with the event
    assert (msg.headers or {})["ce-actorrole"] == "member"
    row = await pool.fetchrow("SELECT metadata FROM events WHERE stream_id = 'thing-t1'")
    assert json.loads(row["metadata"])["actor"] == "user-9"
    assert json.loads(row["metadata"])["role"] == "member"


@pytest.mark.parametrize(
    ("path", "body", "headers", "status", "code"),
    [
        ("/things/t2/happenings", {"n": 1}, {"If-Match": "3"}, 409, "concurrency_conflict"),
        ("/things/t2/happenings", {"n": "many"}, {"If-Match": "0"}, 422, "invalid_request"),
        ("/things/t2/happenings", {"n": 1, "x": 1}, {"If-Match": "0"}, 422, "invalid_request"),
        ("/things/T%202/happenings", {"n": 1}, {"If-Match": "0"}, 422, "invalid_request"),
        ("/things/t2/happenings", {"n": 1}, {}, 422, "invalid_request"),
        ("/nowhere", {}, {}, 404, "not_found"),
    ],
)
async def test_bad_commands_get_a_bilingual_problem_and_change_nothing(
    toy: tuple[str, httpx.AsyncClient],
    pool: LeanPool,
    path: str,
    body: dict[str, object],
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    _, client = toy
    response = await client.post(path, json=body, headers=headers)

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code
    assert problem["detail"]
    assert problem["detail_vi"]
    assert problem["correlation_id"] == response.headers["x-correlation-id"]
    assert await pool.fetchval("SELECT count(*) FROM events") == 0


async def test_request_durations_are_measured_by_route_template(
    toy: tuple[str, httpx.AsyncClient],
) -> None:
    _, client = toy
    await client.post("/things/t3/happenings", json={"n": 1}, headers={"If-Match": "0"})
    metrics = (await client.get("/metrics")).text
    assert (
        'chibo_http_request_duration_seconds_count{method="POST",'
        'route="/things/{thing_id}/happenings",status="2xx"} 1.0'
    ) in metrics
    assert (await client.get("/health/ready")).json()["status"] == "ready"


async def test_sigterm_stops_the_service_gracefully(
    kernel_db: str, nats_url: str, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "toy.log"
    env = {**os.environ, "CHIBO_DATABASE_URL": kernel_db, "CHIBO_NATS_URL": nats_url, **AUTH_ENV}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "toy_service.py"), new_service(), str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

            async def ready() -> bool:
                assert process.poll() is None, log.read_text()[-2000:]
                try:
                    return (await client.get("/health/ready")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(ready, timeout=30, what="the service to be ready")
            created = await client.post(
                "/things/t4/happenings", json={"n": 1}, headers={"If-Match": "0", **MEMBER_9}
            )
            assert created.status_code == 201
        process.send_signal(signal.SIGTERM)
        # uvicorn re-raises the signal after its graceful shutdown, as a process should.
        assert await asyncio.to_thread(process.wait, 20) in (0, -signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert [entry["event"] for entry in lines if entry["event"].startswith("service ")] == [
        "service started",
        "service stopped",
    ]
