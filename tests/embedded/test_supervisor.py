"""The supervisor of the embedded stack, on real short-lived processes with short pauses."""

from __future__ import annotations

import sys
from pathlib import Path

from chibo_tools.embedded import ManagedProcess
from chibo_tools.embedded.supervisor import Child, RestartPolicy, supervise


def test_the_pause_before_a_restart_doubles_from_half_a_second_up_to_ten() -> None:
    policy = RestartPolicy()
    assert [policy.delay(n) for n in range(1, 8)] == [0.5, 1, 2, 4, 8, 10, 10]


def test_a_child_that_keeps_failing_stops_supervision_with_one_line_naming_it(
    tmp_path: Path,
) -> None:
    failing = ManagedProcess(
        "flaky", [sys.executable, "-c", "raise SystemExit(3)"], log_path=tmp_path / "flaky.log"
    )
    steady = ManagedProcess(
        "steady",
        [sys.executable, "-c", "import time; time.sleep(120)"],
        log_path=tmp_path / "steady.log",
    )
    lines: list[str] = []
    policy = RestartPolicy(first_delay=0.01, max_failures=3, window=60)
    try:
        steady.start()
        failing.start()
        steady_pid = steady.pid

        code = supervise(
            [Child("steady", steady, steady.start), Child("flaky", failing, failing.start)],
            policy,
            log=lines.append,
        )

        assert code == 1
        final = lines[-1]
        restarts = [line for line in lines if "restarting it in" in line]
        assert len(restarts) == 2
        assert all(line.startswith("chibo-stack: flaky (pid ") for line in restarts)
        assert lines.count(f"chibo-stack: flaky is running again (pid {failing.pid})") == 1
        assert "exited with code 3; restarting it in 0.01s, at " in restarts[0]
        assert "restarting it in 0.02s" in restarts[1]
        assert final == (
            "chibo-stack: flaky failed 3 times within 60s (last: exited with code 3; "
            f"log {tmp_path / 'flaky.log'}); stopping everything"
        )
        assert steady.running  # the others are left alone
        assert steady.pid == steady_pid
    finally:
        steady.stop()
        failing.stop()
