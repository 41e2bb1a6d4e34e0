"""Keeps the embedded stack's children running: one that exits is started again, on the same
ports and data, after a pause that doubles with each recent failure; the stack stops only on
Ctrl-C/SIGTERM, or when one child keeps failing, so that a crash loop does not go unseen."""

from __future__ import annotations

import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .processes import ManagedProcess, ShutdownRequested

_POLL_SECONDS = 0.25


@dataclass(frozen=True)
class Child:
    """start() runs the child again and returns once it is ready (it raises if it is not);
    it must reuse the child's ports and data, so that whoever talks to it reconnects."""

    name: str
    process: ManagedProcess
    start: Callable[[], None]


@dataclass(frozen=True)
class RestartPolicy:
    first_delay: float = 0.5
    max_delay: float = 10.0
    max_failures: int = 5  # within `window` seconds: then the stack gives up
    window: float = 60.0

    def delay(self, recent_failures: int) -> float:
        doublings = max(0, recent_failures - 1)
        return float(min(self.first_delay * (1 << doublings), self.max_delay))


@dataclass
class _Watch:
    child: Child
    failures: deque[float] = field(default_factory=deque)
    restart_at: float | None = None  # monotonic time; None while the child runs


def supervise(
    children: Sequence[Child],
    policy: RestartPolicy = RestartPolicy(),
    *,
    log: Callable[[str], None] | None = None,
) -> int:
    """Until SIGINT/SIGTERM (returns 0) or until a child failed policy.max_failures times
    within policy.window (returns 1). Stopping the children is left to their owners.

    Signals arrive as ShutdownRequested under shutdown_on_signals(), else as
    KeyboardInterrupt; both mean a requested stop.
    """
    say = log or _to_stderr
    watches = [_Watch(child) for child in children]
    try:
        while True:
            for watch in watches:
                if watch.restart_at is None:
                    if not watch.child.process.running and not _failed(watch, policy, say):
                        return 1
                elif time.monotonic() >= watch.restart_at and not _restart(watch, policy, say):
                    return 1
            time.sleep(_POLL_SECONDS)  # a signal interrupts the sleep via the exception
    except (ShutdownRequested, KeyboardInterrupt):
        print("# stopping", flush=True)
        return 0


def _restart(watch: _Watch, policy: RestartPolicy, say: Callable[[str], None]) -> bool:
    """False when the child has now failed too often."""
    child = watch.child
    watch.restart_at = None
    try:
        child.process.stop()  # reaps what is left of the last run; sends nothing to a dead pid
        child.start()
    except Exception:  # the failure is the child's: its code and log say why
        child.process.stop()
        return _failed(watch, policy, say)
    say(f"chibo-stack: {child.name} is running again (pid {child.process.pid})")
    return True


def _failed(watch: _Watch, policy: RestartPolicy, say: Callable[[str], None]) -> bool:
    """Count one failure of a child that is not running; schedule its restart, or return
    False when it failed policy.max_failures times within policy.window."""
    now = time.monotonic()
    watch.failures.append(now)
    while watch.failures and watch.failures[0] <= now - policy.window:
        watch.failures.popleft()
    child, recent = watch.child, len(watch.failures)
    how = describe_exit(child.process.returncode)
    if recent >= policy.max_failures:
        say(
            f"chibo-stack: {child.name} failed {recent} times within {policy.window:g}s "
            f"(last: {how}; log {child.process.log_path}); stopping everything"
        )
        return False
    delay = policy.delay(recent)
    watch.restart_at = now + delay
    at = time.strftime("%H:%M:%S", time.localtime(time.time() + delay))
    say(
        f"chibo-stack: {child.name} (pid {child.process.pid}) {how}; restarting it in "
        f"{delay:g}s, at {at} (failure {recent}; failure {policy.max_failures} within "
        f"{policy.window:g}s stops the stack; log {child.process.log_path})"
    )
    return True


def describe_exit(code: int | None) -> str:
    if code is None:
        return "did not become ready"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name} (exit code {code})"
        except ValueError:
            return f"was killed by signal {-code} (exit code {code})"
    return f"exited with code {code}"


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
