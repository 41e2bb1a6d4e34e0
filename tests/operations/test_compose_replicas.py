"""docker-compose.yml runs two replicas of each of our services, as Kubernetes does: none
publishes a host port of its own, the gateway gives the host one address per service over
all its replicas, Prometheus finds every replica by its service's DNS name, PostgreSQL takes
every replica's connections, and a session begun on one web replica holds on the other."""

from __future__ import annotations

import re
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import yaml
from web_app.oidc_provider import web_app

from assignment.entrypoints.routes.imports import MAX_UPLOAD_BYTES as API_UPLOAD_BYTES
from chibo_chassis.keyring_database import KEYRING_POOL_SIZE
from web.import_results import MAX_UPLOAD_BYTES as WEB_UPLOAD_BYTES

from .compose import ROOT, ChiboService, chibo_services, load

GATEWAY_CONF = ROOT / "deploy/gateway/nginx.conf"
DOCKER_DNS = "127.0.0.11"  # the resolver Docker gives every container on a user network
SECRETARY = "secretary-vl-tt"  # the demo sign-in's form value for the branch secretary
RESERVED = 3  # PostgreSQL's superuser_reserved_connections
OPERATORS = 20  # room for migrations, `docker compose run` commands and psql sessions


def _serving(compose: dict[str, Any]) -> list[ChiboService]:
    return [s for s in chibo_services(compose) if not s.one_shot]


def _published_ports(spec: dict[str, Any]) -> list[str]:
    """Each port mapping's host side ("127.0.0.1:8100:8100" → "8100"; a range stays one)."""
    found = []
    for port in spec.get("ports", []):
        if isinstance(port, dict):
            found.append(str(port.get("published", "")))
        else:
            parts = str(port).split(":")
            found.append(parts[-2] if len(parts) > 1 else "")
    return found


def _gateway_routes() -> dict[int, tuple[str, int, str]]:
    """What nginx listens on → (the service name it resolves, its port, the body limit)."""
    routes = {}
    for block in re.findall(r"^server \{\n(.*?)^\}", GATEWAY_CONF.read_text(), re.S | re.M):
        listen = re.search(r"^\s*listen (\d+);", block, re.M)
        proxied = r"set \$replicas ([a-z-]+):(\d+);\s*proxy_pass http://\$replicas;"
        target = re.search(proxied, block)
        size = re.search(r"client_max_body_size (\d+m);", block)
        assert listen, block
        assert target, block
        assert size, block
        routes[int(listen.group(1))] = (target.group(1), int(target.group(2)), size.group(1))
    return routes


def test_every_service_of_ours_runs_two_replicas_and_each_migration_runs_once() -> None:
    compose = load()
    for service in chibo_services(compose):
        spec = compose["services"][service.name]
        if service.one_shot:
            assert "deploy" not in spec, f"{service.name} must migrate once, before its replicas"
        else:
            assert spec["deploy"]["replicas"] >= 2, service.name
    assert {s.name for s in _serving(compose)} == {"assignment", "attendance", "rating", "web"}


def test_no_replicated_service_publishes_a_host_port_or_names_its_container() -> None:
    compose = load()
    for name, spec in compose["services"].items():
        replicas = int(spec.get("deploy", {}).get("replicas", 1))
        if replicas == 1:
            continue
        assert "container_name" not in spec, name  # one name cannot go to two containers
        # One host port cannot go to two containers (and the specification, as parsed here,
        # refuses a host range onto one container port): Docker may only pick one itself.
        assert set(_published_ports(spec)) <= {""}, f"{name}: reach its replicas by the gateway"


def test_the_gateway_gives_the_host_one_address_for_each_service_over_all_its_replicas() -> None:
    compose = load()
    gateway = compose["services"]["gateway"]
    assert "./deploy/gateway/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in gateway["volumes"]
    resolver = rf"^resolver {re.escape(DOCKER_DNS)} valid=\d+s"  # names read anew, not once
    assert re.search(resolver, GATEWAY_CONF.read_text(), re.M)
    routes = _gateway_routes()
    for service in _serving(compose):
        port = int(service.http_port or 0)
        # The same port as inside: the addresses in the runbook and .env.example still hold.
        assert f"127.0.0.1:{port}:{port}" in gateway["ports"], service.name
        name, target_port, limit = routes.pop(port)
        assert (name, target_port) == (service.name, port)
        needed = WEB_UPLOAD_BYTES if service.name == "web" else API_UPLOAD_BYTES
        assert int(limit.removesuffix("m")) * 2**20 > needed, f"{service.name}: {limit}"
    assert routes == {}, "the gateway serves a port no service listens on"
    assert sorted(_published_ports(gateway)) == ["8100", "8101", "8102", "8103"]
    (web,) = [s for s in _serving(compose) if s.name == "web"]
    assert web.environment["CHIBO_WEB_PUBLIC_URL"] == "http://127.0.0.1:8100"  # the gateway


def test_prometheus_finds_every_replica_of_each_service_by_its_dns_name() -> None:
    compose = load()
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for service in _serving(compose):
        job = jobs[f"chibo-{service.name}"]
        # A static target would reach one replica, picked anew at each scrape.
        assert "static_configs" not in job, job["job_name"]
        (found,) = job["dns_sd_configs"]
        assert (found["names"], found["type"], str(found["port"])) == (
            [service.name],
            "A",
            service.http_port,
        )
        refresh = found.get("refresh_interval", "30s")
        assert refresh == config["global"]["scrape_interval"], job["job_name"]


def test_postgres_takes_the_connections_of_every_replica_with_room_for_the_operators() -> None:
    compose = load()
    command = compose["services"]["postgres"]["command"]
    (limit,) = [int(a.split("=")[1]) for a in command if a.startswith("max_connections=")]
    needed = 0
    for service in _serving(compose):
        if service.name == "web":  # no database
            continue
        pool = service.settings.model_fields["db_pool_size"].default
        assert not any(k.endswith("DB_POOL_SIZE") for k in service.environment), service.name
        # Its pool, the relay's session, and its pool on the province's keyring database.
        needed += service.replicas * (pool + 1 + KEYRING_POOL_SIZE)
    assert needed + OPERATORS + RESERVED <= limit
    assert needed + OPERATORS + RESERVED > 100  # PostgreSQL's default would not do


def test_a_session_begun_on_one_web_replica_holds_on_the_other(tmp_path: Path) -> None:
    (web,) = [s for s in _serving(load()) if s.name == "web"]
    # Every replica gets the service's one environment, so one session secret.
    shared = {
        name: web.environment[name]
        for name in ("CHIBO_WEB_SESSION_SECRET", "CHIBO_AUTH_ISSUER", "CHIBO_AUTH_SHARED_SECRET")
    }
    shared |= {"CHIBO_WEB_DEMO_SIGNIN": "true", "CHIBO_WEB_SECURE_COOKIES": "false"}
    # (A cookie signed with another secret is ignored: tests/web_app/test_session_security.)
    with ExitStack() as running, httpx.Client(trust_env=False, timeout=20) as browser:
        first, second = (running.enter_context(web_app(tmp_path, **shared)) for _ in range(2))
        page = browser.get(f"{first}/sign-in").text
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found
        form = {"csrf": found.group(1), "role": SECRETARY, "next": "/"}
        signed_in = browser.post(f"{second}/sign-in/demo", data=form)
        assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/")
        assert browser.get(f"{first}/").headers["location"] == "/branches/VL-TT"
        assert browser.get(f"{second}/").headers["location"] == "/branches/VL-TT"
