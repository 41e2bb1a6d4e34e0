"""The streams the hostile-input runs filled (tests/security), probed as the demo's are: each
system those runs attacked had its streams read and judged before it stopped
(`hostile_stream_probes`, see hostile_runs.py); the collection hook in tests/conftest.py
runs this module after the whole suite. Run without that suite, it probes a system of its
own, seeded as the suite seeds them (a report with a problem, a meeting)."""

from __future__ import annotations

from pathlib import Path

import pytest
from security.harness import System
from security.seeds import seed

from .hostile_runs import probe_system
from .probe import Report

SERVICES = ["assignment", "attendance", "rating"]


def test_no_stream_the_hostile_runs_filled_carries_sensitive_data(
    hostile_stream_probes: list[Report],
    pg_admin_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reports = hostile_stream_probes or [_a_seeded_system(pg_admin_url, tmp_path)]
    with capsys.disabled():
        print("\n" + "\n".join(report.summary() for report in reports))

    assert all(report.judged > 0 for report in reports)  # each one's services published
    findings = [f"{report.title}: {line}" for report in reports for line in report.failures()]
    assert not findings, "\n".join(findings)


def _a_seeded_system(pg_admin_url: str, tmp_path: Path) -> Report:
    with System(tmp_path, pg_admin_url, SERVICES) as system:
        seed(system)
        system.eventually(
            lambda: all(system.published_everything(s) for s in SERVICES),
            what="every stored public event on the streams",
        )
        return probe_system(system, "a system seeded as tests/security seeds them")
