"""Fixtures for the hostile-input runs: the services as real processes, seeded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import System
from .seeds import Seeds, seed


@pytest.fixture
def assignment_system(pg_admin_url: str, tmp_path: Path) -> Iterator[tuple[System, Seeds]]:
    with System(tmp_path, pg_admin_url, ["assignment"]) as system:
        yield system, seed(system)


@pytest.fixture
def attendance_system(pg_admin_url: str, tmp_path: Path) -> Iterator[tuple[System, Seeds]]:
    with System(tmp_path, pg_admin_url, ["assignment", "attendance"]) as system:
        yield system, seed(system)


@pytest.fixture
def full_system(pg_admin_url: str, tmp_path: Path) -> Iterator[tuple[System, Seeds]]:
    with System(tmp_path, pg_admin_url, ["assignment", "attendance", "rating"]) as system:
        yield system, seed(system)
