"""The services in-process on real PostgreSQL and NATS, as their own tests start them (a
database each, one NATS of the test's own)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from assignment_service.conftest import running_service
from attendance_service.conftest import Both, running_attendance
from rating_service.conftest import Trio, running_rating

from chibo_tools.embedded import create_database


@pytest.fixture
async def both(fresh_database: str, pg_admin_url: str, service_nats: str) -> AsyncIterator[Both]:
    attendance_db = create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")
    async with (
        running_service(fresh_database, service_nats) as assignment,
        running_attendance(attendance_db, service_nats) as attendance,
    ):
        attendance.sources.append(assignment.runtime)
        yield Both(assignment, attendance)


@pytest.fixture
async def trio(fresh_database: str, pg_admin_url: str, service_nats: str) -> AsyncIterator[Trio]:
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
