"""Shared fixtures: one real NATS + Postgres stack for the whole test session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_stack import Up, start_up
from privacy.probe import Report

from chibo_kernel.keyring import new_master_key_text
from chibo_kernel.keyring.schema import KEYRING_DATABASE_VARIABLE, ensure_keyring_table_now
from chibo_tools.embedded import Stack, create_database
from chibo_tools.embedded.nats import EmbeddedNats

# The session's master key, as the stack fixture would set it: suites that start services
# as processes without that fixture (chaos, security) pass it on, whatever runs first.
os.environ.setdefault("CHIBO_MASTER_KEY", new_master_key_text())

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
def province_keyring(pg_admin_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A keyring database of the test's own, set as CHIBO_KEYRING_DATABASE_URL: every
    service the test starts (in this process, or as a child of it) keeps its data keys
    there, as a province's services do, so one reads what another sealed."""
    url = create_database(pg_admin_url, f"keys_{uuid.uuid4().hex[:16]}")
    ensure_keyring_table_now(url)
    monkeypatch.setenv(KEYRING_DATABASE_VARIABLE, url)
    return url


@pytest.fixture
def service_nats(tmp_path: Path) -> Iterator[str]:
    """A NATS of the test's own: a service's stream is chained to this test's database."""
    server = EmbeddedNats(tmp_path / "nats")
    server.start()
    yield server.url
    server.stop()


# --- the full demo run ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Up]:
    """`./chibo up` with the demo data, once per session (a minute or two): the
    embedded tests check what it serves, tests/privacy what its streams and logs hold."""
    running = start_up(tmp_path_factory.mktemp("up"))
    try:
        yield running
        running.stop()
    finally:
        running.kill()


@pytest.fixture(scope="session")
def hostile_stream_probes() -> list[Report]:
    """What the stream probe found on each system the hostile-input runs attacked: filled by
    tests/security's system fixtures, judged by tests/privacy/test_hostile_runs.py."""
    return []


# Each privacy probe runs right after the run it reads (a test file, or a whole suite): the
# demo's stack then stops when its probes are done instead of idling through the suites
# between, and the hostile runs' findings are all in when they are judged.
# Every user of the demo run (the browser tests, the documented subscriber) goes before its
# probe, which stops it.
PROBES_AFTER = {
    "test_demo_run.py": ("test_cli_up.py", "test_subscriber_doc.py", "web_app"),
    "test_hostile_runs.py": ("security",),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for probe_file, after in PROBES_AFTER.items():
        probes = [i for i in items if i.path.parent.name == "privacy" and i.path.name == probe_file]
        runs = [i for i in items if {i.path.name, i.path.parent.name} & set(after)]
        if probes and runs:
            rest = [i for i in items if i not in probes]
            at = rest.index(runs[-1]) + 1
            items[:] = rest[:at] + probes + rest[at:]
