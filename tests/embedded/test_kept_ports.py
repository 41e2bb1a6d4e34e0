"""`./chibo up --root DIR` serves on the same ports at every run, so that a bookmark of the
web app still works the next day; `--port BASE` puts the stack on BASE, BASE+1, … (web, the
three APIs, NATS, its monitor, PostgreSQL), one block per laptop in a training room."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import subprocess
import sysconfig
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from chibo_tools.embedded.port_plan import PORTS_FILE, ROLES, plan_ports
from chibo_tools.embedded.ports import is_free
from chibo_tools.embedded.processes import StartupError

from .processes import descendants, read_until, wait_until_gone

STARTUP_SECONDS = 120
CLI = Path(sysconfig.get_path("scripts")) / "chibo-stack"
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
_OPEN_LINE = re.compile(r"# open http://127\.0\.0\.1:(\d+)/ — chibo \(đăng nhập / sign in\)")


def _env() -> dict[str, str]:
    dropped = {"CHIBO_DATABASE_URL", "CHIBO_NATS_URL", "CHIBO_AUTH_JWKS_URL"}
    return {k: v for k, v in os.environ.items() if k not in dropped}


def _up_once(root: Path, *args: str) -> list[str]:
    """`chibo-stack up --no-demo --root ROOT ARGS` until `# ready`, then SIGTERM: its
    lines until then."""
    stderr_log = root.parent / f"{root.name}-stderr.log"
    with open(stderr_log, "a") as stderr:
        proc = subprocess.Popen(
            [CLI, "up", "--no-demo", "--root", root, *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=_env(),
        )
    try:
        assert proc.stdout is not None
        lines = read_until(proc.stdout, lambda line: line.startswith("# ready"), STARTUP_SECONDS)
        ready = _get_status(f"{_service_url(lines, 'web')}/health/ready")
        children = descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0, stderr_log.read_text()
        wait_until_gone(children)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert ready == 200
    return lines


def _service_url(lines: list[str], name: str) -> str:
    (line,) = [line for line in lines if line.startswith(f"# {name}: http")]
    return line.split()[2]


def _ports(lines: list[str]) -> dict[str, int]:
    """Every port the run printed, by role of --port BASE."""
    text = "\n".join(lines)

    def port(pattern: str) -> int:
        found = re.search(pattern, text)
        assert found, pattern
        return int(found[1])

    ports = {name: port(rf"(?m)^# {name}: http://127\.0\.0\.1:(\d+)\b") for name in ROLES[:4]}
    ports["nats"] = port(r"(?m)^export CHIBO_NATS_URL=nats://127\.0\.0\.1:(\d+)$")
    ports["nats-monitor"] = port(r"\(monitor http://127\.0\.0\.1:(\d+),")
    ports["postgres"] = port(r"(?m)^# postgres pid \d+: postgresql://postgres@127\.0\.0\.1:(\d+)/")
    return ports


def _get_status(url: str) -> int:
    with _http.open(url, timeout=10) as response:
        return int(response.status)


def _free_block(size: int = len(ROLES)) -> int:
    """A BASE whose block is free now, below the kernel's range of ephemeral ports (where
    other tests' free ports come from)."""
    for _ in range(200):
        base = random.randrange(20_000, 32_000)
        if all(is_free(base + offset) for offset in range(size)):
            return base
    raise AssertionError("no free block of ports found")


@pytest.fixture
def listening() -> Iterator[socket.socket]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock


def test_a_second_run_on_the_same_root_serves_on_the_ports_of_the_first(tmp_path: Path) -> None:
    root = tmp_path / "stack"

    first = _up_once(root)
    second = _up_once(root)

    assert _ports(second) == _ports(first)
    kept = json.loads((root / PORTS_FILE).read_text())
    assert kept == _ports(first)
    # The app's address comes first, before anything else the run prints.
    for lines in (first, second):
        opened = _OPEN_LINE.fullmatch(lines[0])
        assert opened, lines[0]
        assert int(opened[1]) == kept["web"]
        assert lines[-1].startswith(f"# ready; open http://127.0.0.1:{kept['web']}/;")


def test_port_base_puts_web_the_apis_nats_and_postgres_on_consecutive_ports(
    tmp_path: Path,
) -> None:
    base = _free_block()

    lines = _up_once(tmp_path / "stack", "--port", str(base))

    assert _ports(lines) == {role: base + offset for offset, role in enumerate(ROLES)}
    assert lines[0] == f"# open http://127.0.0.1:{base}/ — chibo (đăng nhập / sign in)"


def test_a_kept_port_taken_by_another_program_stops_the_start_with_one_line_naming_it(
    tmp_path: Path, listening: socket.socket
) -> None:
    root = tmp_path / "stack"
    taken = listening.getsockname()[1]
    root.mkdir()
    (root / PORTS_FILE).write_text(json.dumps({"web": taken}))

    result = subprocess.run(
        [CLI, "up", "--no-demo", "--root", root],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )

    assert result.returncode == 1
    assert result.stdout == ""  # nothing started, nothing to open
    assert result.stderr.startswith(
        f"chibo-stack: port {taken} (web), kept in {root / PORTS_FILE} from an earlier run, "
        "is in use: is another `chibo up` running on it?"
    )
    assert "--port BASE" in result.stderr


def test_a_port_base_over_a_default_nats_or_postgres_port_is_refused() -> None:
    with pytest.raises(StartupError, match=r"--port 4220 would use 4222: choose another BASE"):
        plan_ports(None, 4220)
    with pytest.raises(StartupError, match=r"--port 80: BASE must be 1024 to 65529"):
        plan_ports(None, 80)


def test_ports_missing_from_an_older_ports_file_are_chosen_and_kept(tmp_path: Path) -> None:
    web = _free_block(1)
    (tmp_path / PORTS_FILE).write_text(json.dumps({"web": web}))

    ports = plan_ports(tmp_path)

    assert ports["web"] == web
    assert set(ports) == set(ROLES)
    assert len(set(ports.values())) == len(ROLES)
    assert json.loads((tmp_path / PORTS_FILE).read_text()) == ports
