"""The embedded stack against real nats-server and postgres processes (no mocks)."""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import subprocess
import sys
import sysconfig
import textwrap
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import asyncpg
import nats
import pytest

from chibo_kernel.embedded import (
    DEFAULT_SERVICES,
    EmbeddedNats,
    EmbeddedPostgres,
    ManagedProcess,
    Stack,
)
from chibo_kernel.embedded.postgres import answers

# --- helpers ------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # An orphan re-parented to a PID 1 that never reaps stays a zombie: dead all the same.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _descendants(pid: int) -> set[int]:
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


def _wait_for(condition: Callable[[], bool], timeout: float, what: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {what()}")
        time.sleep(0.05)


def _wait_until_gone(pids: Iterable[int], timeout: float = 30.0) -> None:
    pids = set(pids)
    _wait_for(
        lambda: not any(_alive(pid) for pid in pids),
        timeout,
        lambda: f"still alive: {sorted(pid for pid in pids if _alive(pid))}",
    )


def _read_until(stream: IO[str], done: Callable[[str], bool], timeout: float) -> list[str]:
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


# --- NATS ---------------------------------------------------------------------------------


async def test_jetstream_acks_publish(nats_url: str) -> None:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        name = f"T_{uuid.uuid4().hex[:8]}"
        await js.add_stream(name=name, subjects=[f"{name}.>"])
        ack = await js.publish(f"{name}.hello", b"hi")
        assert (ack.stream, ack.seq) == (name, 1)
    finally:
        await nc.close()


async def test_kill_then_restart_keeps_stream_messages(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path / "nats")
    # From a worker thread on purpose: the children must not die with that thread.
    await asyncio.to_thread(server.start)
    try:
        nc = await nats.connect(server.url)
        js = nc.jetstream()
        await js.add_stream(name="ORDERS", subjects=["orders.>"])
        for i in range(3):
            await js.publish("orders.new", f"m{i}".encode())
        await nc.close()

        first_pid, port = server.pid, server.port
        assert first_pid is not None
        server.kill()
        assert not _alive(first_pid)

        await asyncio.to_thread(server.restart)
        assert server.port == port
        assert server.pid != first_pid
        nc = await nats.connect(server.url)
        try:
            js = nc.jetstream()
            info = await js.stream_info("ORDERS")
            assert info.state.messages == 3
            assert (await js.get_msg("ORDERS", seq=2)).data == b"m1"
        finally:
            await nc.close()
    finally:
        server.stop()


# --- Postgres -----------------------------------------------------------------------------


@pytest.mark.parametrize("service", DEFAULT_SERVICES)
async def test_service_database_answers_as_its_role(stack: Stack, service: str) -> None:
    conn = await asyncpg.connect(stack.service_database_url(service))
    try:
        row = await conn.fetchrow("SELECT 1, current_user, current_database()")
        assert tuple(row) == (1, f"chibo_{service}", f"chibo_{service}")
        # It owns its database, hence may create schema objects.
        await conn.execute("CREATE TEMP TABLE probe (id int)")
    finally:
        await conn.close()


async def test_service_role_cannot_connect_to_other_service_database(stack: Stack) -> None:
    url = stack.service_database_url("rating").replace("chibo_rating@", "chibo_assignment@")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await asyncpg.connect(url)


def test_ensure_service_database_is_idempotent(stack: Stack) -> None:
    assert stack.postgres is not None
    url = stack.postgres.ensure_service_database("assignment")
    assert url == stack.service_database_url("assignment")


async def test_fresh_database_is_new_and_empty(fresh_database: str) -> None:
    conn = await asyncpg.connect(fresh_database)
    try:
        assert (await conn.fetchval("SELECT current_database()")).startswith("test_")
        tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        assert await conn.fetchval(tables) == 0
    finally:
        await conn.close()


async def test_postgres_kill_then_start_recovers_committed_rows(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / "pg" / "data")
    await asyncio.to_thread(server.start)
    try:
        url = await asyncio.to_thread(server.create_database, "crash", "crash_owner")
        conn = await asyncpg.connect(url)
        try:
            assert await conn.fetchval("SHOW fsync") == "on"
            await conn.execute("CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)")
        finally:
            await conn.close()

        server.kill()
        await asyncio.to_thread(server.start)

        conn = await asyncpg.connect(url)
        try:
            assert await conn.fetchval("SELECT sum(n) FROM t") == 3
        finally:
            await conn.close()
    finally:
        server.stop()
    assert "database system was interrupted" in server.log_path.read_text()


async def test_stack_against_external_servers_only_creates_databases(
    pg_admin_url: str, nats_url: str
) -> None:
    # A password in the admin URL means password auth: service roles then get one too
    # (the embedded server trusts 127.0.0.1, so any password is accepted here).
    admin_url = pg_admin_url.replace("postgres@", "postgres:secret@")
    with Stack(database_url=admin_url, nats_url=nats_url, services=["ext-probe"]) as stack:
        assert stack.processes == []
        url = stack.service_database_url("ext-probe")
        assert url.startswith("postgresql://chibo_ext_probe:chibo_ext_probe@127.0.0.1:")
        assert stack.env() == {
            "CHIBO_NATS_URL": nats_url,
            "CHIBO_EXT_PROBE_DATABASE_URL": url,
        }
        conn = await asyncpg.connect(url)
        try:
            assert await conn.fetchval("SELECT current_user") == "chibo_ext_probe"
        finally:
            await conn.close()


# --- lifecycle ----------------------------------------------------------------------------


def test_process_started_from_a_short_lived_thread_outlives_the_thread(tmp_path: Path) -> None:
    # The parent-death signal fires when the forking *thread* exits, not the process.
    sleeper = ManagedProcess(
        "sleeper",
        [sys.executable, "-c", "import time; time.sleep(60)"],
        log_path=tmp_path / "sleeper.log",
    )
    thread_ids: list[int] = []

    def start() -> None:
        thread_ids.append(threading.get_native_id())
        sleeper.start()

    starter = threading.Thread(target=start)
    starter.start()
    starter.join()
    task = Path(f"/proc/self/task/{thread_ids[0]}")
    _wait_for(lambda: not task.exists(), 10, lambda: f"{task} still exists")
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            sleeper.wait(timeout=0.5)
    finally:
        sleeper.stop()
    assert not sleeper.running


def test_stop_reaps_every_process_and_removes_temp_root() -> None:
    stack = Stack().start()
    servers = [p.pid for p in stack.processes if p.pid is not None]
    postgres_workers = set().union(*(_descendants(pid) for pid in servers))
    root = stack.root
    assert len(servers) == 2
    assert postgres_workers
    assert stack.startup_seconds is not None
    assert stack.startup_seconds < 30

    stack.stop()

    for pid in servers:  # our own children: reaped, so the pid is gone entirely
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not any(_alive(pid) for pid in postgres_workers)
    assert not root.exists()


def test_sigkilled_owner_leaves_no_orphans(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from chibo_kernel.embedded import Stack
        Stack(Path(sys.argv[1])).start()
        print("ready", flush=True)
        time.sleep(600)
        """
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "stack")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert owner.stdout is not None
        _read_until(owner.stdout, lambda line: line == "ready", timeout=60)
        children = _descendants(owner.pid)
        assert len(children) >= 3  # nats-server, postmaster and its workers

        owner.kill()
        owner.wait()

        _wait_until_gone(children)
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()


def test_cli_up_prints_env_and_exits_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"CHIBO_DATABASE_URL", "CHIBO_NATS_URL"}}
    cli = Path(sysconfig.get_path("scripts")) / "chibo-stack"
    with open(tmp_path / "stderr.log", "w") as stderr:
        proc = subprocess.Popen(
            [cli, "up", "--root", tmp_path / "stack"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
        )
    try:
        assert proc.stdout is not None
        lines = _read_until(proc.stdout, lambda line: line.startswith("# ready"), timeout=60)
        exports = dict(
            line.removeprefix("export ").split("=", 1)
            for line in lines
            if line.startswith("export ")
        )
        assert set(exports) == {
            "CHIBO_NATS_URL",
            *(f"CHIBO_{s.upper()}_DATABASE_URL" for s in DEFAULT_SERVICES),
        }
        assert exports["CHIBO_NATS_URL"].startswith("nats://127.0.0.1:")
        assert answers(exports["CHIBO_RATING_DATABASE_URL"])
        # The installed services run with the seeds' demo data (README: "./chibo up").
        assert "# assignment demo: Võ Lao seeded: members 37/37, households 207/207" in lines
        (service_line,) = [line for line in lines if line.startswith("# assignment: http")]
        coverage_url = service_line.split()[2] + "/v1/branches/VL-TT/plans/2024/coverage"
        with urllib.request.urlopen(coverage_url, timeout=10) as response:
            assert json.load(response)["households"] == "207/207"
        children = _descendants(proc.pid)
        assert len(children) >= 4

        proc.send_signal(signal.SIGTERM)

        assert proc.wait(timeout=60) == 0, (tmp_path / "stderr.log").read_text()
        _wait_until_gone(children)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
