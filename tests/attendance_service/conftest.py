"""The attendance service in-process beside the assignment service, against real PostgreSQL
(a database each) and one NATS of the test's own: membership reaches attendance only as
events through JetStream, as in production."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import nats
import pytest
from assignment_service.conftest import Service, running_service
from fastapi import FastAPI
from kernel.support import eventually
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from signin import ADMIN, AUTH_SETTINGS

from attendance.adapters.roster_projection import CONSUMER as ROSTER_CONSUMER
from attendance.bootstrap import build
from attendance.migrations import upgrade
from attendance.settings import AttendanceSettings
from chibo_chassis.runtime import ServiceRuntime
from chibo_tools.embedded import create_database


@dataclass
class Attendance:
    client: httpx.AsyncClient  # signed in as a province-wide administrator
    runtime: ServiceRuntime
    wire: list[Msg]  # everything a plain nats-py subscriber saw on chibo.attendance.>
    nc: NATS
    database_url: str
    sources: list[ServiceRuntime] = field(default_factory=list)  # whose events it reads
    app: FastAPI | None = None

    def anonymous(self) -> httpx.AsyncClient:
        """A client of the same app that sends no token at all."""
        assert self.app is not None
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url="http://attendance")

    async def ok(self, method: str, url: str, **kwargs: Any) -> Any:
        response = await self.client.request(method, url, **kwargs)
        assert response.status_code < 300, f"{method} {url}: {response.text}"
        return response.json()

    async def roster_has(self, branch_id: str, on: str, members: int) -> list[dict[str, Any]]:
        """Wait until the roster consumer has projected `members` members for the day."""
        found: list[dict[str, Any]] = []

        async def arrived() -> bool:
            nonlocal found
            url = f"/v1/branches/{branch_id}/roster"
            response = await self.client.get(url, params={"on": on})
            if response.status_code == 404:  # the branch itself has not arrived yet
                return False
            assert response.status_code == 200, f"GET {url}: {response.text}"
            found = response.json()["members"]
            return len(found) == members

        await eventually(arrived, timeout=30, what=f"{members} members on {branch_id} {on}")
        if self.sources:
            await self.settled()
        return found

    async def settled(self) -> None:
        """Wait until the sources have published all they stored and the roster consumer has
        applied and acknowledged all of it: a head count alone misses later events (a role,
        an exemption) that leave the count unchanged."""

        async def published() -> bool:
            for source in self.sources:
                stored = await source.pool.fetchval(
                    "SELECT count(*) FROM events WHERE NOT (metadata ? 'private')"
                )
                info = await source.nc.jetstream().stream_info(source.stream.name)
                if info.state.messages != stored:
                    return False
            return True

        await eventually(published, timeout=30, what="the sources to publish what they stored")

        async def applied() -> bool:
            info = await self.nc.jetstream().consumer_info("CHIBO_ASSIGNMENT", ROSTER_CONSUMER)
            return bool(info.num_pending == 0 and info.num_ack_pending == 0)

        await eventually(applied, timeout=30, what="the roster consumer to apply everything")


@dataclass
class Both:
    assignment: Service
    attendance: Attendance


@pytest.fixture
async def both(
    fresh_database: str, pg_admin_url: str, service_nats: str, province_keyring: str
) -> AsyncIterator[Both]:
    """Each service its own database; both read their data keys from `province_keyring`, so
    attendance opens the names assignment sealed on its stream."""
    attendance_db = create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")
    async with (
        running_service(fresh_database, service_nats) as assignment,
        running_attendance(attendance_db, service_nats) as attendance,
    ):
        attendance.sources.append(assignment.runtime)
        yield Both(assignment, attendance)


@asynccontextmanager
async def running_attendance(database_url: str, nats_url: str) -> AsyncIterator[Attendance]:
    await asyncio.to_thread(upgrade, database_url)  # Alembic runs its own event loop
    auth: dict[str, Any] = dict(AUTH_SETTINGS)
    settings = AttendanceSettings(database_url=database_url, nats_url=nats_url, **auth)
    app, runtime = build(settings)
    subscriber = await nats.connect(nats_url)
    wire: list[Msg] = []

    async def seen(msg: Msg) -> None:
        wire.append(msg)

    await subscriber.subscribe("chibo.attendance.>", cb=seen)
    async with runtime.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://attendance", headers=ADMIN
        ) as client:
            yield Attendance(client, runtime, wire, subscriber, database_url, app=app)
    await subscriber.drain()
