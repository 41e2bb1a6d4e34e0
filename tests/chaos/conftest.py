"""One chaos stack for the package, and the summary table the runs fill, printed at the end of
the test output."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .reconcile import Row
from .scenario import Chaos, start_chaos

ROWS: list[Row] = []


@pytest.fixture(scope="package")
def chaos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chaos]:
    with start_chaos(tmp_path_factory.mktemp("chaos")) as started:
        yield started


@pytest.fixture
def table() -> list[Row]:
    return ROWS


def summary(rows: list[Row]) -> list[str]:
    head = (
        f"{'fault':<44} {'ack':>5} {'stored':>6} {'streamed':>8} {'projected':>9} "
        f"{'lost':>4} {'dup':>4} {'recovery s':>10}  notes"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.fault:<44} {r.acknowledged:>5} {r.stored:>6} {r.streamed:>8} "
            f"{r.projected:>9} {r.lost:>4} {r.duplicated:>4} {r.recovery:>10.1f}  "
            + "; ".join(r.notes)
        )
        lines.extend(f"    ! {p}" for p in r.problems[:5])
    return lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not ROWS:
        return
    terminalreporter.section("chaos: acknowledged commands after each fault")
    for line in summary(ROWS):
        terminalreporter.write_line(line)
