"""The embedded stack against real nats-server and postgres processes (no mocks)."""

from __future__ import annotations

import asyncio
import os
import re
import stat
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import asyncpg
import nats
import pytest

from chibo_tools.embedded import (
    DEFAULT_SERVICES,
    EmbeddedNats,
    EmbeddedPostgres,
    ManagedProcess,
    Stack,
)
from chibo_tools.embedded.stack import NATS_USERS

from .processes import alive, descendants, read_until, wait_for, wait_until_gone

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
        assert not alive(first_pid)

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
            "CHIBO_KEYRING_DATABASE_URL": stack.service_database_url("keyring"),
            "CHIBO_EXT_PROBE_DATABASE_URL": url,
        }
        conn = await asyncpg.connect(url)
        try:
            assert await conn.fetchval("SELECT current_user") == "chibo_ext_probe"
        finally:
            await conn.close()


def test_service_env_on_an_external_nats_takes_the_operators_passwords(
    pg_admin_url: str, nats_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NATS_ASSIGNMENT_PASSWORD", "from-the-operator")
    monkeypatch.delenv("NATS_ATTENDANCE_PASSWORD", raising=False)
    services = ["assignment", "attendance"]
    with Stack(database_url=pg_admin_url, nats_url=nats_url, services=services) as stack:
        assignment, attendance = (stack.service_env(s) for s in services)
        assert (assignment["CHIBO_NATS_USER"], assignment["CHIBO_NATS_PASSWORD"]) == (
            "assignment",
            "from-the-operator",
        )
        assert "CHIBO_NATS_USER" not in attendance  # none given: it connects anonymously
        # Sign-in: one fresh secret for every service, kept private in the state directory.
        secret = assignment["CHIBO_AUTH_SHARED_SECRET"]
        assert re.fullmatch(r"[0-9a-f]{64}", secret)
        assert attendance["CHIBO_AUTH_SHARED_SECRET"] == secret
        assert (assignment["CHIBO_AUTH_ISSUER"], assignment["CHIBO_AUTH_AUDIENCE"]) == (
            "chibo-embedded",
            "chibo",
        )
        assert stat.S_IMODE(stack.secrets_path.stat().st_mode) == 0o600
        assert f"CHIBO_AUTH_SHARED_SECRET={secret}" in stack.secrets_path.read_text().split()


async def test_embedded_nats_with_users_refuses_anonymous_clients(
    pg_admin_url: str, tmp_path: Path
) -> None:
    with Stack(tmp_path / "stack", database_url=pg_admin_url, nats_users=True) as stack:
        credentials = [stack.nats_credentials(user) for user in NATS_USERS]
        rating = stack.service_env("rating")
        assert stack.nats_credentials("rating") == (
            rating["CHIBO_NATS_USER"],
            rating["CHIBO_NATS_PASSWORD"],
        )
        passwords = [c[1] for c in credentials if c is not None]
        assert len(set(passwords)) == len(NATS_USERS)  # one each, all different
        assert all(re.fullmatch(r"[0-9a-f]{64}", p) for p in passwords)
        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            await nats.connect(stack.nats_url, allow_reconnect=False, connect_timeout=5)
        user, password = stack.nats_credentials("subscriber") or ("", "")
        nc = await nats.connect(stack.nats_url, user=user, password=password)
        try:
            assert (await nc.jetstream().account_info()).streams == 0
        finally:
            await nc.close()


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
    wait_for(lambda: not task.exists(), 10, lambda: f"{task} still exists")
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            sleeper.wait(timeout=0.5)
    finally:
        sleeper.stop()
    assert not sleeper.running


def test_stop_reaps_every_process_and_removes_temp_root() -> None:
    stack = Stack().start()
    servers = [p.pid for p in stack.processes if p.pid is not None]
    postgres_workers = set().union(*(descendants(pid) for pid in servers))
    root = stack.root
    assert len(servers) == 2
    assert postgres_workers
    assert stack.startup_seconds is not None
    assert stack.startup_seconds < 30

    stack.stop()

    for pid in servers:  # our own children: reaped, so the pid is gone entirely
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not any(alive(pid) for pid in postgres_workers)
    assert not root.exists()


def test_sigkilled_owner_leaves_no_orphans(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from chibo_tools.embedded import Stack
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
        read_until(owner.stdout, lambda line: line == "ready", timeout=60)
        children = descendants(owner.pid)
        assert len(children) >= 3  # nats-server, postmaster and its workers

        owner.kill()
        owner.wait()

        wait_until_gone(children)
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
