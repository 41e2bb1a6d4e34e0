"""The README's two commands in a checkout that other users cannot search (a 0700 directory,
as root's home is), where the embedded PostgreSQL, run as `nobody` under root, cannot reach
the virtualenv's binaries. The checkout is this working tree as it is: tracked files and new
ones not ignored, without .venv or .tools; the clone's `./chibo` makes its own virtualenv from
uv's cache. `./chibo up` runs without the demo data, which test_cli_up covers: what differs
here is only where the checkout sits."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from chibo_tools.embedded import DEFAULT_SERVICES

from .processes import children_by_command, descendants, read_until, wait_until_gone

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 150  # the clone's virtualenv from uv's cache, then the stack
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only


@pytest.fixture(scope="module")
def checkout() -> Iterator[Path]:
    """A copy of the working tree inside a fresh mkdtemp directory (mode 0700)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the project as a git checkout, to know which files it holds")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    holder = Path(tempfile.mkdtemp(prefix="chibo-private-"))
    target = holder / "chibo"
    try:
        for name in sorted({n.decode() for n in listed.split(b"\0") if n}):
            source = ROOT / name
            if not source.is_symlink() and not source.is_file():  # deleted, not yet committed
                continue
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
        yield target
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def chibo_env() -> dict[str, str]:
    """This environment, minus what points at other servers or this virtualenv, with the uv
    the project fetched (so the clone's `./chibo` does not fetch it again)."""
    dropped = {"CHIBO_DATABASE_URL", "CHIBO_NATS_URL", "CHIBO_AUTH_JWKS_URL", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("PYTEST")}
    fetched_uv = ROOT / ".tools" / "uv" / "bin"
    if (fetched_uv / "uv").is_file():
        env["PATH"] = f"{fetched_uv}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_the_checkout_sits_where_other_users_cannot_search(checkout: Path) -> None:
    assert stat.S_IMODE(checkout.parent.stat().st_mode) == 0o700
    assert (checkout / "chibo").stat().st_mode & stat.S_IXUSR


def test_chibo_up_runs_the_system_healthy_from_a_private_checkout(
    checkout: Path, tmp_path: Path
) -> None:
    with open(tmp_path / "stderr.log", "w") as stderr:
        proc = subprocess.Popen(
            ["./chibo", "up", "--no-demo"],
            cwd=checkout,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=chibo_env(),
        )
    try:
        assert proc.stdout is not None
        lines = read_until(proc.stdout, lambda line: line.startswith("# ready"), STARTUP_SECONDS)
        for name in DEFAULT_SERVICES:
            (line,) = [line for line in lines if line.startswith(f"# {name}: http")]
            with _http.open(f"{line.split()[2]}/health/ready", timeout=10) as response:
                assert (response.status, json.load(response)["status"]) == (200, "ready")
        by_command = children_by_command(proc.pid)
        (postmaster,) = [pid for command, pid in by_command.items() if "/postgres -D" in command]
        binary = Path(os.readlink(f"/proc/{postmaster}/exe"))
        if os.geteuid() == 0:  # run as nobody, from a copy it can reach
            assert binary.is_relative_to("/var/tmp"), binary
        children = descendants(proc.pid)

        proc.send_signal(signal.SIGTERM)

        assert proc.wait(timeout=60) == 0, (tmp_path / "stderr.log").read_text()
        wait_until_gone(children)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_chibo_test_runs_selected_tests_on_the_session_servers_from_a_private_checkout(
    checkout: Path,
) -> None:
    selected = "service_database_answers_as_its_role or postgres_kill_then_start"
    result = subprocess.run(
        ["./chibo", "test", "tests/embedded/test_stack.py", "-k", selected, "-q"],
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**chibo_env(), "CHIBO_TEST_PYTEST_ONLY": "1"},
        timeout=STARTUP_SECONDS,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"{len(DEFAULT_SERVICES) + 1} passed" in result.stdout
