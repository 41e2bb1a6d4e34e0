"""`./chibo up` with the demo data, as a newcomer runs it: the one full demo run of a test
session. tests/embedded/test_cli_up.py checks what it prints and serves; tests/privacy reads
every message its streams hold and every line it logged. Its stdout and stderr go to files,
so that what the launcher says after `# ready` (and when it stops) is there to read too."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
from embedded.processes import descendants, wait_until_gone
from nats.aio.client import Client as NATS

STARTUP_SECONDS = 180  # three services, their migrations, the demo data, then the web app


@dataclass
class Up:
    proc: subprocess.Popen[str]
    root: Path  # the stack's state directory: the services', NATS' and PostgreSQL's logs
    stdout: Path
    stderr: Path
    lines: list[str] = field(default_factory=list)  # stdout up to and including `# ready`
    children: set[int] = field(default_factory=set)
    stopped: bool = False

    @property
    def exports(self) -> dict[str, str]:
        pairs = (
            line.removeprefix("export ").split("=", 1)
            for line in self.lines
            if line.startswith("export ")
        )
        return {key: shlex.split(value)[0] for key, value in pairs}

    @property
    def secrets(self) -> dict[str, str]:
        text = (self.root / "secrets.env").read_text()
        return dict(
            line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
        )

    @property
    def nats_url(self) -> str:
        return self.exports["CHIBO_NATS_URL"]

    @property
    def monitor_url(self) -> str:
        (line,) = [line for line in self.lines if line.startswith("# nats-server pid")]
        found = re.search(r"\(monitor (\S+),", line)
        assert found, line
        return found.group(1)

    def service_url(self, name: str) -> str:
        (line,) = [line for line in self.lines if line.startswith(f"# {name}: http")]
        return line.split()[2]

    def token(self, role: str) -> str:
        return self.exports[f"CHIBO_TOKEN_{role.upper()}"]

    async def connect(self, user: str, **options: Any) -> NATS:
        """Signed in as one of deploy/nats/accounts.conf's users, with the stack's password."""
        return await nats.connect(
            self.nats_url,
            user=user,
            password=self.secrets[f"NATS_{user.upper()}_PASSWORD"],
            allow_reconnect=False,
            connect_timeout=5,
            **options,
        )

    def stop(self) -> None:
        """SIGTERM, as Ctrl-C would: the launcher exits 0 and leaves no child behind. Once."""
        if self.stopped:
            return
        self.stopped = True
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(timeout=60) == 0, self.stderr.read_text()
        wait_until_gone(self.children)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# The stack makes its own databases (the keyring database among them) and sign-in.
NOT_PASSED_ON = {
    "CHIBO_DATABASE_URL",
    "CHIBO_NATS_URL",
    "CHIBO_AUTH_JWKS_URL",
    "CHIBO_KEYRING_DATABASE_URL",
}


def start_up(tmp: Path) -> Up:
    """`chibo-stack up` with the demo data, once it has printed `# ready`."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_PASSED_ON}
    cli = Path(sysconfig.get_path("scripts")) / "chibo-stack"
    stdout, stderr = tmp / "stdout.log", tmp / "stderr.log"
    with open(stdout, "w") as out, open(stderr, "w") as err:
        proc = subprocess.Popen(
            [cli, "up", "--root", tmp / "stack"], stdout=out, stderr=err, text=True, env=env
        )
    running = Up(proc, tmp / "stack", stdout, stderr)
    try:
        running.lines = _until_ready(running)
        running.children = descendants(proc.pid)
        assert len(running.children) >= 4  # nats-server, postgres, the services
    except BaseException:
        running.kill()
        raise
    return running


def _until_ready(up: Up) -> list[str]:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        lines = up.stdout.read_text().splitlines()
        ready = [i for i, line in enumerate(lines) if line.startswith("# ready")]
        if ready:
            return lines[: ready[0] + 1]
        if up.proc.poll() is not None:
            raise AssertionError(
                f"chibo-stack exited with {up.proc.returncode} before `# ready`: "
                f"{lines}\n{up.stderr.read_text()}"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"not ready after {STARTUP_SECONDS}s; output so far: {lines}")
        time.sleep(0.1)  # polling the launcher's output file for a condition, with a deadline
