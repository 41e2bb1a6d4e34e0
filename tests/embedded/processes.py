"""Watching child processes and their output from the tests of the embedded stack."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # An orphan re-parented to a PID 1 that never reaps stays a zombie: dead all the same.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):  # gone between the kill(0) and the read
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def wait_for(condition: Callable[[], bool], timeout: float, what: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {what()}")
        time.sleep(0.05)


def wait_until_gone(pids: Iterable[int], timeout: float = 30.0) -> None:
    pids = set(pids)
    wait_for(
        lambda: not any(alive(pid) for pid in pids),
        timeout,
        lambda: f"still alive: {sorted(pid for pid in pids if alive(pid))}",
    )


def read_until(stream: IO[str], done: Callable[[str], bool], timeout: float) -> list[str]:
    """Lines from stream up to and including the first one for which done() is true."""
    lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()

    def pump() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"timed out; output so far: {seen}") from None
        if line is None:
            raise AssertionError(f"output ended early: {seen}")
        seen.append(line)
        if done(line):
            return seen


def children_by_command(pid: int) -> dict[str, int]:
    """The direct children of pid, by their command line (arguments joined by spaces)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if ppid == pid and alive(int(entry.name)):
            found[command] = int(entry.name)
    return found
