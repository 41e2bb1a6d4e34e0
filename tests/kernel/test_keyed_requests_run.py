"""How often a keyed request's route runs: a plain command runs again on a repeat (no
lookup spent on the common first request) and its second append is rolled back; a route
that starts a job looks its key up first and runs once."""

from __future__ import annotations

import uuid

import httpx
from fastapi import APIRouter, Depends
from signin import ADMIN, AUDIENCE, ISSUER, SECRET

from chibo_chassis.auth import SharedSecretVerifier
from chibo_chassis.http import create_app, runs_once_per_key
from chibo_kernel.metrics import KernelMetrics
from chibo_kernel.store import InMemoryEventStore

from .support import event_models

Happened = event_models("keyed")[0]


def client_of(router: APIRouter, store: InMemoryEventStore) -> httpx.AsyncClient:
    app = create_app(
        title="keyed",
        version="0",
        metrics=KernelMetrics(),
        checks={},
        verifier=SharedSecretVerifier(SECRET, issuer=ISSUER, audience=AUDIENCE),
        routers=[router],
        idempotency=lambda: store,
    )
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://keyed", headers=ADMIN)


async def test_a_repeated_command_runs_again_but_stores_once_and_answers_the_first() -> None:
    store, router = InMemoryEventStore(), APIRouter()
    runs: list[str] = []

    @router.post("/v1/things", status_code=201)
    async def new_thing() -> dict[str, str]:
        thing = uuid.uuid4().hex  # a new id each run, as a registration without an id
        runs.append(thing)
        await store.append(f"thing-{thing}", 0, [Happened(n=len(runs))])
        return {"thing": thing}

    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with client_of(router, store) as client:
        first = await client.post("/v1/things", headers=key)
        again = await client.post("/v1/things", headers=key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotency-replayed"] == "true"
    assert len(runs) == 2
    assert await store.load(f"thing-{runs[0]}") != []
    assert await store.load(f"thing-{runs[1]}") == []


async def test_a_job_route_runs_once_per_key_and_its_repeat_answers_the_first_job() -> None:
    store, router = InMemoryEventStore(), APIRouter()
    jobs: list[int] = []

    @router.post("/v1/jobs", status_code=202, dependencies=[Depends(runs_once_per_key)])
    async def start_job() -> dict[str, int]:
        jobs.append(len(jobs) + 1)  # an effect outside the store: rolled back by nothing
        return {"job": jobs[-1]}

    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with client_of(router, store) as client:
        first = await client.post("/v1/jobs", headers=key)
        again = await client.post("/v1/jobs", headers=key)
        other = await client.post("/v1/jobs", headers={"Idempotency-Key": uuid.uuid4().hex})

    assert (first.json(), again.json(), other.json()) == ({"job": 1}, {"job": 1}, {"job": 2})
    assert again.headers["idempotency-replayed"] == "true"
    assert jobs == [1, 2]


async def test_a_job_route_refuses_its_key_sent_with_another_body_before_running() -> None:
    store, router = InMemoryEventStore(), APIRouter()
    jobs: list[int] = []

    @router.post("/v1/jobs", status_code=202, dependencies=[Depends(runs_once_per_key)])
    async def start_job(size: int) -> dict[str, int]:
        jobs.append(size)
        return {"job": len(jobs)}

    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with client_of(router, store) as client:
        await client.post("/v1/jobs", params={"size": 1}, headers=key)
        other = await client.post("/v1/jobs", params={"size": 2}, headers=key)

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert jobs == [1]
