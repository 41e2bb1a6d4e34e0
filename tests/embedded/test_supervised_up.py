"""`./chibo up` keeps its children running: a child killed with SIGKILL comes back on the
same port (servers with the same data), and one that keeps failing stops the whole stack
with one line. One stack (without the demo data) serves the module; its last test ends it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sysconfig
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chibo_tools.embedded import DEFAULT_SERVICES

from .processes import (
    alive,
    children_by_command,
    descendants,
    read_until,
    wait_for,
    wait_until_gone,
)

STARTUP_SECONDS = 120
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only


@dataclass
class Supervised:
    proc: subprocess.Popen[str]
    stderr: Path
    urls: dict[str, str]  # by service, and "nats"

    def pid_of(self, command_end: str) -> int:
        (pid,) = [p for c, p in children_by_command(self.proc.pid).items() if command_end in c]
        return pid

    def service_pid(self, name: str) -> int:
        return self.pid_of(f"chibo-{name} serve")

    def said(self, text: str) -> bool:
        return text in self.stderr.read_text()

    def ready(self, name: str) -> bool:
        try:
            with _http.open(f"{self.urls[name]}/health/ready", timeout=2) as response:
                checks = json.load(response)["checks"]
                ok = {"database", "nats"} <= set(checks) and set(checks.values()) == {"ok"}
                return bool(response.status == 200 and ok)
        except OSError:
            return False


@pytest.fixture(scope="module")
def supervised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Supervised]:
    tmp = tmp_path_factory.mktemp("supervised")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CHIBO_DATABASE_URL", "CHIBO_NATS_URL", "CHIBO_AUTH_JWKS_URL"}
    }
    cli = Path(sysconfig.get_path("scripts")) / "chibo-stack"
    with open(tmp / "stderr.log", "w") as stderr:
        proc = subprocess.Popen(
            [cli, "up", "--no-demo", "--root", tmp / "stack"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
        )
    try:
        assert proc.stdout is not None
        lines = read_until(proc.stdout, lambda line: line.startswith("# ready"), STARTUP_SECONDS)
        urls = {
            name: line.split()[2]
            for name in DEFAULT_SERVICES
            for line in lines
            if line.startswith(f"# {name}: http")
        }
        assert set(urls) == set(DEFAULT_SERVICES)
        (urls["nats"],) = [
            line.split("=", 1)[1] for line in lines if line.startswith("export CHIBO_NATS_URL=")
        ]

        yield Supervised(proc, tmp / "stderr.log", urls)

        if proc.poll() is None:  # not already ended by the stack's own decision
            children = descendants(proc.pid)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0, (tmp / "stderr.log").read_text()
            wait_until_gone(children)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_service_killed_with_sigkill_comes_back_and_the_others_are_untouched(
    supervised: Supervised,
) -> None:
    before = children_by_command(supervised.proc.pid)
    victim = supervised.service_pid("attendance")

    os.kill(victim, signal.SIGKILL)

    wait_for(
        lambda: supervised.said("chibo-stack: attendance is running again (pid "),
        60,
        lambda: supervised.stderr.read_text(),
    )
    assert supervised.said(
        f"chibo-stack: attendance (pid {victim}) was killed by SIGKILL (exit code -9); "
        "restarting it in 0.5s, at "
    )
    assert supervised.service_pid("attendance") != victim
    assert supervised.ready("attendance")
    after = children_by_command(supervised.proc.pid)
    others = {command: pid for command, pid in before.items() if pid != victim}
    assert {command: after.get(command) for command in others} == others


def test_postgres_and_nats_killed_come_back_on_their_ports_and_the_services_reconnect(
    supervised: Supervised,
) -> None:
    for name, command in (("postgres", "/postgres -D "), ("nats-server", "/nats-server -c ")):
        victim = supervised.pid_of(command)
        os.kill(victim, signal.SIGKILL)
        wait_for(
            lambda: supervised.said(f"chibo-stack: {name} is running again (pid "),  # noqa: B023
            60,
            lambda: supervised.stderr.read_text(),
        )
        assert supervised.pid_of(command) != victim
    # Same ports and data: the services' own pools and NATS clients find them again.
    wait_for(
        lambda: all(supervised.ready(name) for name in DEFAULT_SERVICES),
        60,
        lambda: f"not ready: {[n for n in DEFAULT_SERVICES if not supervised.ready(n)]}",
    )


def test_a_child_that_keeps_failing_stops_the_whole_stack_with_one_line(
    supervised: Supervised,
) -> None:
    children = descendants(supervised.proc.pid)
    victim = supervised.pid_of("/nats-server -c ")
    port = int(supervised.urls["nats"].rsplit(":", 1)[1])
    # Every new nats-server finds its port taken and exits at once (a service would too,
    # after seconds of start-up).
    with socket.socket() as squatter:
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: not alive(victim), 10, lambda: f"{victim} still alive")
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # The old server's connections hold the port until their clients have closed them,
        # within milliseconds; the first restart comes half a second later at the earliest.
        wait_for(lambda: _bound(squatter, port), 0.4, lambda: f"port {port} still held")
        squatter.listen()

        assert supervised.proc.wait(timeout=120) == 1

    gave_up = [line for line in supervised.stderr.read_text().splitlines() if "failed" in line]
    assert len(gave_up) == 1
    assert gave_up[0].startswith(
        "chibo-stack: nats-server failed 5 times within 60s (last: exited with code 1; log "
    )
    assert gave_up[0].endswith("nats.log); stopping everything")
    wait_until_gone(children)


def _bound(sock: socket.socket, port: int) -> bool:
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        return False
    return True
