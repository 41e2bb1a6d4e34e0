"""Shared fixtures: one real NATS + Postgres stack for the whole test session."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from chibo_tools.embedded import Stack, create_database
from chibo_tools.embedded.nats import EmbeddedNats

# --- embedded stack -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """NATS (JetStream) + Postgres with a database and role per service."""
    with Stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


@pytest.fixture(scope="session")
def pg_admin_url(stack: Stack) -> str:
    """Superuser URL of the session Postgres (database `postgres`)."""
    return stack.admin_database_url


@pytest.fixture(scope="session")
def nats_url(stack: Stack) -> str:
    return stack.nats_url


@pytest.fixture
def fresh_database(pg_admin_url: str) -> str:
    """URL (superuser) of a new, empty database on the session Postgres; never dropped."""
    return create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")


@pytest.fixture
def service_nats(tmp_path: Path) -> Iterator[str]:
    """A NATS of the test's own: a service's stream is chained to this test's database."""
    server = EmbeddedNats(tmp_path / "nats")
    server.start()
    yield server.url
    server.stop()
