"""docker-compose.yml's own commands and variables, run as plain processes against an
embedded PostgreSQL and NATS, as many of each service as its replicas: container host names
and mounts are mapped onto this machine, each replica on a port of its own; nothing else is
changed."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from chibo_tools.embedded.nats import EmbeddedNats
from chibo_tools.embedded.ports import free_port
from chibo_tools.embedded.postgres import EmbeddedPostgres, postgres_bin_dir
from chibo_tools.embedded.processes import ManagedProcess, wait_until_ready

from .compose import ROOT, ChiboService, chibo_services, env_example, load

BIN = Path(sys.executable).parent


@dataclass
class RunningSystem:
    postgres: EmbeddedPostgres
    nats: EmbeddedNats
    services: dict[str, ChiboService] = field(default_factory=dict)
    env: dict[str, dict[str, str]] = field(default_factory=dict)
    processes: dict[str, ManagedProcess] = field(default_factory=dict)  # each one's first
    ports: dict[str, int] = field(default_factory=dict)  # its first replica's
    replicas: dict[str, list[int]] = field(default_factory=dict)  # every replica's port
    other_replicas: list[ManagedProcess] = field(default_factory=list)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def healthcheck(self, service: str) -> list[str]:
        """The container's HEALTHCHECK; a URL in it names the container's port, mapped here."""
        check, port = self.services[service].healthcheck, self.services[service].http_port
        assert check is not None, service
        return [arg.replace(f":{port}/", f":{self.ports[service]}/") for arg in check]

    def stop(self) -> None:
        for process in reversed([*self.processes.values(), *self.other_replicas]):
            process.stop(30)
        self.nats.stop()
        self.postgres.stop()


def start(root: Path) -> RunningSystem:
    compose = load()
    nats = EmbeddedNats(
        root / "nats",
        sync_always=True,
        include=ROOT / "deploy/nats/accounts.conf",  # the users and permissions of compose
        env={k: str(v) for k, v in compose["services"]["nats"]["environment"].items()},
    )
    system = RunningSystem(EmbeddedPostgres(root / "pg" / "data"), nats)
    try:
        system.postgres.start()
        system.nats.start()
        _run_init_scripts(system.postgres)
        services = chibo_services(compose)
        system.services = {s.name: s for s in services}
        for service in services:
            system.env[service.name] = _host_env(service, system)
        for service in (s for s in services if s.one_shot):
            _run(service.command, system.env[service.name], what=service.name)
        for service in (s for s in services if not s.one_shot):
            _serve(system, service)
    except BaseException:
        system.stop()
        raise
    return system


def _run_init_scripts(postgres: EmbeddedPostgres) -> None:
    """What the postgres image does on an empty data directory, with this machine's psql."""
    env = {
        **env_example(),
        "PATH": f"{postgres_bin_dir()}:{os.environ['PATH']}",
        "PGHOST": "127.0.0.1",
        "PGPORT": str(postgres.port),
        "POSTGRES_USER": "postgres",
        "LC_ALL": "C",
    }
    for script in sorted((ROOT / "deploy/postgres/init").glob("*.sh")):
        _run(["sh", str(script)], env, what=script.name, inherit=False)


def _host_env(service: ChiboService, system: RunningSystem) -> dict[str, str]:
    mounts: dict[str, str] = {}  # container path → host path, for the bind mounts
    for volume in service.volumes:
        if volume.startswith("./"):
            host_path, container_path = volume.split(":")[:2]
            mounts[container_path] = host_path
    env = {}
    for key, value in service.environment.items():
        value = value.replace("@postgres:5432/", f"@127.0.0.1:{system.postgres.port}/")
        value = value.replace("nats://nats:4222", system.nats.url)
        for container_path, host_path in mounts.items():
            if value.startswith(container_path):
                value = str(ROOT / host_path) + value[len(container_path) :]
        for name, port in _host_ports(system).items():  # the web app's API URLs
            container_port = system.services[name].http_port
            value = value.replace(f"http://{name}:{container_port}", f"http://127.0.0.1:{port}")
        env[key] = value
    for key in env:
        if key.endswith("HTTP_HOST"):  # traffic stays on the loopback here
            env[key] = "127.0.0.1"
        if key.endswith("HTTP_PORT"):
            env[key] = str(free_port())
    return env


def _host_ports(system: RunningSystem) -> dict[str, str]:
    """The port each service whose variables are mapped already serves on here."""
    return {
        name: value
        for name, env in system.env.items()
        for key, value in env.items()
        if key.endswith("HTTP_PORT")
    }


def _serve(system: RunningSystem, service: ChiboService) -> None:
    """Its replicas one after another: the first is the one the others' URLs name."""
    for replica in range(1, service.replicas + 1):
        env = dict(system.env[service.name])
        if replica > 1:  # the same variables; in its own container it would not need this
            env |= {k: str(free_port()) for k in env if k.endswith("HTTP_PORT")}
        (port,) = [int(value) for key, value in env.items() if key.endswith("HTTP_PORT")]
        process = ManagedProcess(
            f"{service.name}-{replica}",
            [str(BIN / service.command[0]), *service.command[1:]],
            env=_container_env(env),
            log_path=system.nats.store_dir.parent / f"{service.name}-{replica}.log",
        )
        process.start()
        if replica == 1:
            system.processes[service.name], system.ports[service.name] = process, port
        else:
            system.other_replicas.append(process)
        system.replicas.setdefault(service.name, []).append(port)
        ready = partial(_answers, f"http://127.0.0.1:{port}/health/ready")
        wait_until_ready(process, ready, timeout=60, what="ready")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _run(argv: list[str], env: dict[str, str], *, what: str, inherit: bool = True) -> str:
    full_env = _container_env(env) if inherit else env
    result = subprocess.run(argv, env=full_env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"{what} failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result.stdout


def run_command(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A command as the image would run it, with this virtualenv first on PATH as the
    image's is."""
    return subprocess.run(
        argv, env=_container_env(env), capture_output=True, text=True, timeout=120
    )


def _container_env(env: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **env, "PATH": f"{BIN}:{os.environ['PATH']}"}
