"""Starting the services on the stack, by convention: a service NAME that is installed has a
`chibo-NAME` script with `migrate`, `serve` and `demo` commands. The kernel never imports a
service; it only runs its script."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .ports import free_port
from .processes import ManagedProcess, wait_until_ready
from .stack import Stack


@dataclass(frozen=True)
class RunningService:
    name: str
    url: str
    process: ManagedProcess


def installed_services(stack: Stack) -> list[str]:
    return [name for name in stack.services if _script(name).exists()]


def start_service(
    stack: Stack, name: str, *, demo: bool, demo_token: str | None = None
) -> RunningService:
    """Migrate, serve and wait until ready; then enter the demo data through the service's
    API, signed in with demo_token (handed to `chibo-demo NAME` as CHIBO_DEMO_TOKEN)."""
    port = free_port()
    env = {**stack.service_env(name), f"CHIBO_{name.upper()}_HTTP_PORT": str(port)}
    script = str(_script(name))
    _run([script, "migrate"], env, f"{name} migrations")
    process = ManagedProcess(name, [script, "serve"], env=env, log_path=stack.root / f"{name}.log")
    process.start()
    url = f"http://127.0.0.1:{port}"
    wait_until_ready(process, lambda: _ready(url), timeout=60, what=f"{name} to be ready")
    if demo:
        demo_env = {**env, "CHIBO_DEMO_TOKEN": demo_token} if demo_token else env
        demo_script = str(Path(sys.executable).parent / "chibo-demo")
        entered = _run([demo_script, name], demo_env, f"{name} demo data")
        print(f"# {name} demo: {entered}", flush=True)
    return RunningService(name, url, process)


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
