"""The rating service in-process beside the assignment and attendance services: real
PostgreSQL (a database each) and one NATS of the test's own. Everything rating knows of
the others arrives as events through JetStream. Every client is signed in as a
province-wide administrator unless the test asks for another token (tests/signin.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from assignment_service.conftest import Service, running_service
from attendance_service.conftest import Attendance, running_attendance
from fastapi import FastAPI
from kernel.support import eventually
from signin import ADMIN, AUTH_SETTINGS

from chibo_chassis.runtime import ServiceRuntime
from chibo_tools.embedded import create_database
from rating.application.read_models import ReadModels
from rating.bootstrap import build
from rating.migrations import upgrade
from rating.settings import RatingSettings


@dataclass
class Rating:
    client: httpx.AsyncClient  # signed in as a province-wide administrator
    runtime: ServiceRuntime
    read_models: ReadModels
    database_url: str
    app: FastAPI
    sources: list[ServiceRuntime] = field(default_factory=list)  # whose events it reads

    def signed_in(self, headers: Mapping[str, str] | None) -> httpx.AsyncClient:
        """Another client of the same app, sending `headers` (None: no token at all)."""
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(
            transport=transport, base_url="http://rating", headers=dict(headers or {})
        )

    async def ok(self, method: str, url: str, **kwargs: Any) -> Any:
        response = await self.client.request(method, url, **kwargs)
        assert response.status_code < 300, f"{method} {url}: {response.text}"
        return response.json()

    async def every_page(self, url: str, page: int = 1000) -> list[Any]:
        """A paged member list whole, following the pages as a client would."""
        found: list[Any] = []
        while True:
            chunk = await self.ok("GET", url, params={"limit": page, "offset": len(found)})
            found += chunk
            if len(chunk) < page:
                return found

    async def caught_up(self, derived: bool = True) -> None:
        """Wait until the source services have published everything they stored, then until
        every consumer has applied and acknowledged all of it, and (`derived`) until the
        prepared ratings it marked are derived."""

        async def published() -> bool:
            for source in self.sources:
                stored = await source.pool.fetchval(
                    "SELECT count(*) FROM events WHERE NOT (metadata ? 'private')"
                )
                info = await source.nc.jetstream().stream_info(source.stream.name)
                if info.state.messages != stored:
                    return False
            return True

        await eventually(published, timeout=60, what="the other services to publish")

        async def idle() -> bool:
            status = await self.read_models.status()
            assert not any(status["parked"].values()), f"parked: {status['parked']}"
            pending = {
                name: n
                for name, n in status["pending"].items()
                if derived or not name.endswith("-derivation")
            }
            return bool(pending) and all(p == 0 for p in pending.values())

        await eventually(idle, timeout=60, what="rating to catch up with the streams")


@dataclass
class Trio:
    assignment: Service
    attendance: Attendance
    rating: Rating


@pytest.fixture
async def trio(
    fresh_database: str, pg_admin_url: str, service_nats: str, province_keyring: str
) -> AsyncIterator[Trio]:
    """Each service its own database, all three one keyring database (`province_keyring`);
    a rating started later in the test reads it too."""
    attendance_db = create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")
    rating_db = create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")
    async with (
        running_service(fresh_database, service_nats) as assignment,
        running_attendance(attendance_db, service_nats) as attendance,
        running_rating(rating_db, service_nats) as rating,
    ):
        rating.sources = [assignment.runtime, attendance.runtime]
        attendance.sources.append(assignment.runtime)
        yield Trio(assignment, attendance, rating)


@asynccontextmanager
async def running_rating(
    database_url: str,
    nats_url: str,
    rules_dir: str | None = None,
    retire_seconds: float = 1,  # one instance: nothing else reads an old generation
) -> AsyncIterator[Rating]:
    await asyncio.to_thread(upgrade, database_url)  # Alembic runs its own event loop
    auth: dict[str, Any] = dict(AUTH_SETTINGS)
    settings = RatingSettings(
        database_url=database_url,
        nats_url=nats_url,
        rules_dir=rules_dir,
        read_model_retire_seconds=retire_seconds,
        **auth,
    )
    app, runtime, read_models = build(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://rating", headers=ADMIN
        ) as client:
            yield Rating(client, runtime, read_models, database_url, app)
