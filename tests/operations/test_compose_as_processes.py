"""The system started from docker-compose.yml's own commands and variables as plain
processes on an embedded PostgreSQL and NATS, each service as many times as its replicas,
then watched the way the province's IT team watches it: readiness probes, `promtool check
metrics`, a real Prometheus scraping every replica with the alert rules loaded, and a clean
stop on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nats
import nats.errors
import nats.js.errors
import pytest
import yaml
from kernel.support import eventually
from nats.aio.client import Client as NATS

from chibo_tools.embedded.ports import free_port
from chibo_tools.embedded.processes import ManagedProcess, wait_until_ready

from .compose import ROOT, env_example
from .running_system import RunningSystem, run_command, start
from .tools import prometheus, promtool

APIS = ("assignment", "attendance", "rating")
SERVING = (*APIS, "web")  # the web app keeps no data: no database or NATS of its own


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    running = start(tmp_path_factory.mktemp("compose"))
    try:
        for name in APIS:  # demo data, as `./chibo up` loads it, so metrics have values
            result = run_command(["chibo-demo", name], running.env[name])
            assert result.returncode == 0, result.stderr[-2000:]
        yield running
    finally:
        running.stop()


def test_the_compose_commands_start_the_system_and_pass_its_readiness_probes(
    system: RunningSystem,
) -> None:
    assert set(system.processes) == set(SERVING)
    for name in SERVING:
        result = run_command(system.healthcheck(name), system.env[name])
        assert result.returncode == 0, result.stderr
        assert len(system.replicas[name]) == system.services[name].replicas >= 2  # one database
        for port in system.replicas[name]:
            ready = _get_json(f"http://127.0.0.1:{port}/health/ready")
            checks = {"database": "ok", "nats": "ok"} if name in APIS else {}
            assert ready == {"status": "ready", "checks": checks}
    # The services did all of the demo's work within their NATS permissions.
    log = (system.nats.store_dir / "nats.log").read_text().splitlines()
    assert [line for line in log if "Violation" in line] == []


def test_the_healthcheck_fails_when_nothing_answers() -> None:
    result = run_command(
        ["python", "-m", "chibo_chassis.healthcheck"], {"CHIBO_HTTP_PORT": str(free_port())}
    )
    assert result.returncode == 1
    assert "not ready" in result.stderr


def test_every_service_metrics_pass_promtool_check_metrics(system: RunningSystem) -> None:
    for name in SERVING:
        exposition = _get(f"{system.url(name)}/metrics")
        assert name not in APIS or "chibo_dependency_up" in exposition
        result = subprocess.run(
            [promtool(), "check", "metrics"], input=exposition, capture_output=True, text=True
        )
        assert result.returncode == 0, f"{name}:\n{result.stdout}{result.stderr}"


def test_a_real_prometheus_scrapes_every_target_and_loads_the_alert_rules(
    system: RunningSystem, tmp_path: Path
) -> None:
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    config["global"]["scrape_interval"] = config["global"]["evaluation_interval"] = "1s"
    config["rule_files"] = [str(ROOT / "deploy/prometheus/rules.yml")]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    # prometheus-nats-exporter has no build for this machine (no Docker, not on PyPI or
    # Debian): its job is the only one left out, and only it.
    assert set(jobs) == {f"chibo-{name}" for name in SERVING} | {"nats"}
    config["scrape_configs"] = []
    for name in SERVING:  # no Docker DNS here to find the replicas by name: they are given
        job = jobs[f"chibo-{name}"]
        assert job.pop("dns_sd_configs")[0]["names"] == [name]
        job["static_configs"] = [{"targets": [f"127.0.0.1:{p}" for p in system.replicas[name]]}]
        config["scrape_configs"].append(job)
    expected = [(f"chibo-{name}", "1") for name in SERVING for _ in system.replicas[name]]
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    server = ManagedProcess(
        "prometheus",
        [
            prometheus(),
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        log_path=tmp_path / "prometheus.log",
    )
    server.start()
    api = f"http://127.0.0.1:{port}/api/v1"
    try:

        def all_up() -> bool:
            targets = _get_json(f"{api}/targets", quiet=True)
            active = targets["data"]["activeTargets"] if targets else []
            return len(active) == len(expected) and all(t["health"] == "up" for t in active)

        wait_until_ready(server, all_up, timeout=60, what="every replica up")
        up = _get_json(f"{api}/query?query=up")["data"]["result"]
        assert sorted((r["metric"]["job"], r["value"][1]) for r in up) == expected

        def rules_evaluated() -> bool:
            groups = _get_json(f"{api}/rules", quiet=True)
            rules = [r for g in groups["data"]["groups"] for r in g["rules"]] if groups else []
            return bool(rules) and all(r.get("lastEvaluation", "").startswith("20") for r in rules)

        wait_until_ready(server, rules_evaluated, timeout=30, what="rules evaluated")
        rules = [r for g in _get_json(f"{api}/rules")["data"]["groups"] for r in g["rules"]]
        assert all(r["health"] == "ok" for r in rules), [r for r in rules if r["health"] != "ok"]
        # A healthy system raises none of them.
        firing = [r["name"] for r in rules if r["state"] == "firing"]
        assert firing == []
        deps = _get_json(f"{api}/query?query=chibo_dependency_up")["data"]["result"]
        # database, NATS and the province's keyring database (compose keeps it apart)
        assert len(deps) == 3 * sum(len(system.replicas[name]) for name in APIS)
        assert {r["metric"]["dependency"] for r in deps} == {"database", "nats", "keyring"}
        assert {r["value"][1] for r in deps} == {"1"}
    finally:
        server.stop(10)


def test_a_service_cannot_publish_to_another_services_subjects(system: RunningSystem) -> None:
    # Its own subjects it publishes all the time: the demo's events went through them.
    subject = "chibo.attendance.meeting.meeting_held.v1.LC._"
    before, after, errors = asyncio.run(_publish_as("assignment", subject, system))
    assert any(f'publish to "{subject}"'.lower() in e.lower() for e in errors), errors
    assert after == before  # nothing reached attendance's stream


def test_other_systems_read_every_stream_and_change_nothing(system: RunningSystem) -> None:
    password = env_example()["NATS_SUBSCRIBER_PASSWORD"]
    url = system.nats.url.replace("nats://", f"nats://subscriber:{password}@")
    example = [sys.executable, str(ROOT / "examples/subscriber.py"), "--nats", url]
    read = subprocess.run(
        [*example, "--service", "attendance", "--org-path", "LC"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert read.returncode == 0, read.stderr
    assert sum(line.startswith("chibo.attendance.") for line in read.stdout.splitlines()) >= 12, (
        read.stdout[:300]
    )
    subject = "chibo.assignment.member.member_registered.v1.LC._"
    before, after, errors = asyncio.run(_publish_as("subscriber", subject, system))
    assert any(f'publish to "{subject}"'.lower() in e.lower() for e in errors), errors
    assert after == before
    assert asyncio.run(_delete_stream_as("subscriber", "CHIBO_ASSIGNMENT", system)) == "refused"


async def _connect_as(user: str, system: RunningSystem, errors: list[str]) -> NATS:
    async def error(exc: Exception) -> None:
        errors.append(str(exc))

    password = env_example()[f"NATS_{user.upper()}_PASSWORD"]
    return await nats.connect(
        system.nats.url, user=user, password=password, error_cb=error, max_reconnect_attempts=0
    )


async def _publish_as(user: str, subject: str, system: RunningSystem) -> tuple[int, int, list[str]]:
    """Publish as `user`: the messages in the subject's stream before and after, and the
    server's errors. A request answered after the publish means the server handled it."""
    stream = f"CHIBO_{subject.split('.')[1].upper()}"
    reader = await _connect_as("subscriber", system, [])
    errors: list[str] = []
    publisher = await _connect_as(user, system, errors)
    try:
        before = (await reader.jetstream().stream_info(stream)).state.messages
        await publisher.publish(subject, b"{}")
        await publisher.request("$JS.API.INFO", b"", timeout=5)

        async def answered() -> bool:
            return bool(errors)

        await eventually(answered, timeout=10, what=f"the server's answer to {user}")
        after = (await reader.jetstream().stream_info(stream)).state.messages
    finally:
        await publisher.close()
        await reader.close()
    return before, after, errors


async def _delete_stream_as(user: str, stream: str, system: RunningSystem) -> str:
    errors: list[str] = []
    nc = await _connect_as(user, system, errors)
    try:
        await nc.jetstream().delete_stream(stream)
        return "deleted"
    except (TimeoutError, nats.errors.TimeoutError, nats.js.errors.Error):
        still_there = await nc.jetstream().stream_info(stream)
        assert still_there.config.name == stream
        return "refused"
    finally:
        await nc.close()


def test_sigterm_stops_every_service_cleanly(system: RunningSystem) -> None:
    """Last in this module: it stops the services the others use."""
    for name in SERVING:
        process = system.processes[name]
        started = time.monotonic()
        code = process.stop(30, signal.SIGTERM)
        # uvicorn re-raises the signal once shut down, so supervisors see "terminated".
        assert code in (0, -signal.SIGTERM), f"{name} exited with {code}:\n{process.log_tail()}"
        assert time.monotonic() - started < 25
        if name in APIS:  # the chassis' runtime says so; the web app is plain uvicorn
            assert "service stopped" in process.log_path.read_text()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode())


def _get_json(url: str, *, quiet: bool = False) -> Any:
    try:
        return json.loads(_get(url))
    except OSError:
        if quiet:
            return None
        raise
