"""Fixtures for the hostile-input runs: the services as real processes, seeded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from privacy.hostile_runs import probe_system
from privacy.probe import Report

from .harness import System
from .seeds import Seeds, seed


@pytest.fixture
def assignment_system(
    pg_admin_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    hostile_stream_probes: list[Report],
) -> Iterator[tuple[System, Seeds]]:
    with System(tmp_path, pg_admin_url, ["assignment"]) as system:
        yield system, seed(system)
        hostile_stream_probes.append(probe_system(system, request.node.nodeid))


@pytest.fixture
def attendance_system(
    pg_admin_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    hostile_stream_probes: list[Report],
) -> Iterator[tuple[System, Seeds]]:
    with System(tmp_path, pg_admin_url, ["assignment", "attendance"]) as system:
        yield system, seed(system)
        hostile_stream_probes.append(probe_system(system, request.node.nodeid))


@pytest.fixture
def full_system(
    pg_admin_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    hostile_stream_probes: list[Report],
) -> Iterator[tuple[System, Seeds]]:
    with System(tmp_path, pg_admin_url, ["assignment", "attendance", "rating"]) as system:
        yield system, seed(system)
        hostile_stream_probes.append(probe_system(system, request.node.nodeid))
