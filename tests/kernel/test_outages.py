"""A service whose PostgreSQL stops or hangs answers 503 with Retry-After in seconds, says
so once in its log, and serves again once the database is back; every request leaves an
access log line; the metrics carry the process's own."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from signin import token

from chibo_chassis.auth import Role

from .outage_harness import ANSWER_WITHIN_SECONDS, OutageHarness, start_harness, stop_harness
from .support import eventually, new_service

MEMBER_9 = {"Authorization": "Bearer " + token(Role.MEMBER, "T", "m9", subject="user-9")}
ROUTE = "/things/{thing_id}/happenings"


@pytest.fixture(scope="module")
async def harness(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> AsyncIterator[OutageHarness]:
    started = await start_harness(tmp_path_factory.mktemp("outages"), nats_url, new_service())
    yield started
    await asyncio.to_thread(stop_harness, started)


@pytest.fixture
async def client(harness: OutageHarness) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=harness.url, headers=MEMBER_9, timeout=30) as c:
        yield c


async def command(client: httpx.AsyncClient) -> tuple[httpx.Response, float]:
    """A new thing's first happening (so it never conflicts), and how long it took."""
    started = time.monotonic()
    response = await client.post(
        f"/things/{uuid.uuid4().hex[:12]}/happenings",
        json={"n": 1},
        headers={"If-Match": "0", "X-Correlation-Id": f"outage-{uuid.uuid4().hex}"},
    )
    return response, time.monotonic() - started


async def database_up(client: httpx.AsyncClient) -> float:
    for line in (await client.get("/metrics")).text.splitlines():
        if line.startswith('chibo_dependency_up{dependency="database"}'):
            return float(line.split()[-1])
    raise AssertionError("no chibo_dependency_up for the database")


def assert_unavailable(response: httpx.Response, took: float) -> None:
    assert response.status_code == 503, response.text
    assert took < ANSWER_WITHIN_SECONDS, f"answered after {took:.1f} s"
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "dependency_unavailable"
    assert body["dependency"] == "database"
    assert "PostgreSQL" in body["detail"]
    assert "thử lại" in body["detail_vi"]
    assert body["correlation_id"] == response.headers["x-correlation-id"]


TRANSITIONS = ("dependency unreachable", "dependency reachable again")


def transitions(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["event"] in TRANSITIONS]


def assert_no_traceback_per_request(lines: list[dict[str, Any]], ids: set[str]) -> None:
    for line in lines:
        if line.get("correlation_id") in ids:  # the first also names the outage it met
            assert line["event"] in ("http request", TRANSITIONS[0]), line
            assert "exception" not in line, line
    assert not [line for line in lines if line["event"] == "unhandled error"]


async def test_a_request_leaves_one_access_log_line_with_its_route_template(
    harness: OutageHarness, client: httpx.AsyncClient
) -> None:
    since = harness.log_size()
    response, _ = await command(client)
    assert response.status_code == 201
    correlation_id = response.request.headers["x-correlation-id"]

    async def logged() -> bool:
        return any(
            line.get("correlation_id") == correlation_id for line in harness.log_lines(since)
        )

    await eventually(logged, timeout=10, what="the access log line")
    [line] = [
        line for line in harness.log_lines(since) if line.get("correlation_id") == correlation_id
    ]
    assert line["event"] == "http request"
    assert line["level"] == "info"
    assert (line["method"], line["route"], line["status"]) == ("POST", ROUTE, 201)
    assert line["principal"] == "user-9"
    assert 0 < line["duration_ms"] < 10_000
    assert line["service"]


async def test_the_metrics_carry_the_process_and_its_garbage_collector(
    client: httpx.AsyncClient,
) -> None:
    metrics = (await client.get("/metrics")).text
    for name in (
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "process_open_fds",
        "python_gc_collections_total",
        "python_info",
    ):
        assert f"\n{name}" in metrics, f"no {name} on /metrics"


async def test_a_stopped_database_is_answered_503_in_seconds_and_logged_once_each_way(
    harness: OutageHarness, client: httpx.AsyncClient
) -> None:
    assert (await command(client))[0].status_code == 201
    since = harness.log_size()
    await asyncio.to_thread(harness.postgres.stop)
    try:
        answers = [await command(client) for _ in range(20)]
        for response, took in answers:
            assert_unavailable(response, took)
        # Met by the first request: no waiting for the next periodic check.
        assert await database_up(client) == 0
        assert (await client.get("/health/ready")).status_code == 503
    finally:
        await asyncio.to_thread(harness.postgres.start)

    async def serves_again() -> bool:
        return (await command(client))[0].status_code == 201

    await eventually(serves_again, timeout=30, what="a 201 after the database is back")

    async def shown_up() -> bool:
        return await database_up(client) == 1

    # While a dependency is down the service checks it every second.
    await eventually(shown_up, timeout=3, what="chibo_dependency_up back to 1")
    lines = harness.log_lines(since)
    changes = transitions(lines)
    assert [(line["event"], line["dependency"]) for line in changes] == [
        ("dependency unreachable", "database"),
        ("dependency reachable again", "database"),
    ]
    assert {line["level"] for line in changes} == {"warning"}
    ids = {response.headers["x-correlation-id"] for response, _ in answers}
    assert_no_traceback_per_request(lines, ids)


async def test_a_hung_database_is_answered_503_within_the_deadline_and_recovers(
    harness: OutageHarness, client: httpx.AsyncClient
) -> None:
    assert (await command(client))[0].status_code == 201
    since = harness.log_size()
    frozen = harness.freeze()
    try:
        # More at once than the pool holds: some wait for a connection, some for an answer.
        answers = await asyncio.gather(*(command(client) for _ in range(10)))
        for response, took in answers:
            assert_unavailable(response, took)
        assert await database_up(client) == 0
    finally:
        harness.thaw(frozen)

    async def serves_again() -> bool:
        return (await command(client))[0].status_code == 201

    await eventually(serves_again, timeout=30, what="a 201 after the database thawed")
    lines = harness.log_lines(since)
    assert [line["event"] for line in transitions(lines)] == list(TRANSITIONS)
    ids = {response.headers["x-correlation-id"] for response, _ in answers}
    assert_no_traceback_per_request(lines, ids)
