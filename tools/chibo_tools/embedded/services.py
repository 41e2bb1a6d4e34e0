"""Starting the services on the stack, by convention: a service NAME that is installed has a
`chibo-NAME` script with `migrate`, `serve` and `demo` commands. The kernel never imports a
service; it only runs its script. The web app (`chibo-web`) is one too, without a database
or NATS: it calls the three APIs, so it starts after them."""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.request
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .ports import free_port
from .processes import ManagedProcess, StartupError, wait_until_ready
from .signin import AUDIENCE, ISSUER
from .stack import Stack

WEB = "web"


@dataclass(frozen=True)
class RunningService:
    name: str
    url: str
    process: ManagedProcess
    env: dict[str, str] = field(repr=False)

    def start_again(self) -> None:
        """After a crash: serve again on the same port, migrations already applied."""
        self.process.start()
        wait_until_ready(
            self.process, lambda: _ready(self.url), timeout=60, what=f"{self.name} to be ready"
        )


def installed_services(stack: Stack) -> list[str]:
    return [name for name in stack.services if _script(name).exists()]


def web_installed() -> bool:
    return _script(WEB).exists()


def start_services(
    stack: Stack, names: Sequence[str], ports: Mapping[str, int] | None = None
) -> list[RunningService]:
    """Migrate and serve every service at once (each waits on its own imports and database,
    so together they start in about the time of the slowest), in the order of names, each
    on its port of `ports` or else a free one."""
    cancelled = threading.Event()
    pool = ThreadPoolExecutor(max_workers=max(1, len(names)), thread_name_prefix="chibo-start")
    ports = ports or {}
    try:
        return list(
            pool.map(lambda name: start_service(stack, name, cancelled, ports.get(name)), names)
        )
    except BaseException:
        cancelled.set()  # a start still migrating must not serve after everything stopped
        raise
    finally:
        # Not waiting: on Ctrl-C the starts under way end when their processes are stopped.
        pool.shutdown(wait=False, cancel_futures=True)


def start_service(
    stack: Stack, name: str, cancelled: threading.Event | None = None, port: int | None = None
) -> RunningService:
    """Migrate, serve and wait until ready."""
    port = port or free_port()
    env = {**stack.service_env(name), f"CHIBO_{name.upper()}_HTTP_PORT": str(port)}
    return _launch(stack, name, env, port, cancelled)


def start_web(
    stack: Stack, apis: Sequence[RunningService], port: int | None = None
) -> RunningService:
    """The web app over the running APIs, with the demo sign-in (a role per click, signed
    with the stack's secret) and plain-http cookies: it is served on the loopback only."""
    port = port or free_port()
    env = {
        "CHIBO_WEB_HTTP_HOST": "127.0.0.1",
        "CHIBO_WEB_HTTP_PORT": str(port),
        "CHIBO_WEB_PUBLIC_URL": f"http://127.0.0.1:{port}",
        **{f"CHIBO_WEB_{api.name.upper()}_URL": api.url for api in apis},
        "CHIBO_WEB_SESSION_SECRET": stack.web_session_secret,
        "CHIBO_WEB_SECURE_COOKIES": "false",
        "CHIBO_WEB_DEMO_SIGNIN": "1",
        "CHIBO_AUTH_SHARED_SECRET": stack.auth_secret,
        "CHIBO_AUTH_ISSUER": ISSUER,
        "CHIBO_AUTH_AUDIENCE": AUDIENCE,
    }
    return _launch(stack, WEB, env, port)


def _launch(
    stack: Stack,
    name: str,
    env: dict[str, str],
    port: int,
    cancelled: threading.Event | None = None,
) -> RunningService:
    script = str(_script(name))
    _run([script, "migrate"], env, f"{name} migrations")
    if cancelled is not None and cancelled.is_set():
        raise StartupError(f"{name}: not started, the stack is stopping")
    process = ManagedProcess(name, [script, "serve"], env=env, log_path=stack.root / f"{name}.log")
    process.start()
    service = RunningService(name, f"http://127.0.0.1:{port}", process, env)
    wait_until_ready(process, lambda: _ready(service.url), timeout=60, what=f"{name} to be ready")
    return service


def enter_demo(service: RunningService, demo_token: str | None) -> None:
    """The seeds' demo data through the service's API, signed in with demo_token (handed to
    `chibo-demo NAME` as CHIBO_DEMO_TOKEN)."""
    env = {**service.env, "CHIBO_DEMO_TOKEN": demo_token} if demo_token else service.env
    demo_script = str(Path(sys.executable).parent / "chibo-demo")
    entered = _run([demo_script, service.name], env, f"{service.name} demo data")
    print(f"# {service.name} demo: {entered}", flush=True)


def _script(name: str) -> Path:
    return Path(sys.executable).parent / f"chibo-{name}"


def _run(argv: list[str], env: dict[str, str], what: str) -> str:
    import os

    result = subprocess.run(
        argv, env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "done"


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False
