"""The assignment service running in-process against real PostgreSQL and its own NATS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import nats
import pytest
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from signin import ADMIN, AUTH_SETTINGS

from assignment.bootstrap import build
from assignment.migrations import upgrade
from assignment.settings import AssignmentSettings
from chibo_chassis.runtime import ServiceRuntime


@dataclass
class Service:
    client: httpx.AsyncClient  # signed in as a province-wide administrator unless told
    runtime: ServiceRuntime
    wire: list[Msg]  # everything a plain nats-py subscriber saw on chibo.assignment.>
    nc: NATS


@pytest.fixture
async def service(fresh_database: str, service_nats: str) -> AsyncIterator[Service]:
    async with running_service(fresh_database, service_nats) as running:
        yield running


@asynccontextmanager
async def running_service(
    database_url: str,
    nats_url: str,
    *,
    headers: Mapping[str, str] | None = None,
    **settings: Any,
) -> AsyncIterator[Service]:
    """The service with the tests' sign-in secret; `settings` override any setting, and
    the client sends `headers` (default: a province-wide administrator's token)."""
    await asyncio.to_thread(upgrade, database_url)  # Alembic runs its own event loop
    app, runtime = build(
        AssignmentSettings(
            database_url=database_url, nats_url=nats_url, **{**AUTH_SETTINGS, **settings}
        )
    )
    subscriber = await nats.connect(nats_url)
    wire: list[Msg] = []

    async def seen(msg: Msg) -> None:
        wire.append(msg)

    await subscriber.subscribe("chibo.assignment.>", cb=seen)
    async with runtime.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://assignment",
            headers=dict(ADMIN if headers is None else headers),
        ) as client:
            yield Service(client, runtime, wire, subscriber)
    await subscriber.drain()
