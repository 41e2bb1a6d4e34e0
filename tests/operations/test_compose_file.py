"""docker-compose.yml without a Docker engine: it validates against the Compose
specification (the compose_spec parser, after Compose's own interpolation), and every
service of ours is given a command and variables that the code really reads."""

from __future__ import annotations

import re

import pytest
import yaml
from compose_spec import PyOptions

from web.settings import WebSettings

from .compose import (
    COMPOSE,
    ROOT,
    chibo_services,
    env_example,
    env_names,
    interpolate,
    load,
    required_fields,
    scrape_targets,
)


def test_the_file_validates_and_runs_the_whole_system() -> None:
    compose = load()
    expected = {"nats", "postgres", "assignment", "attendance", "rating", "web", "nats-exporter"}
    assert expected | {"gateway", "prometheus", "grafana"} <= set(compose["services"])
    commands = {s.name: s.command for s in chibo_services(compose)}
    assert commands == {
        "assignment-migrate": ["chibo-assignment", "migrate"],
        "attendance-migrate": ["chibo-attendance", "migrate"],
        "rating-migrate": ["chibo-rating", "migrate"],
        "assignment": ["chibo-assignment", "serve"],
        "attendance": ["chibo-attendance", "serve"],
        "rating": ["chibo-rating", "serve"],
        "web": ["chibo-web", "serve"],  # keeps no data: nothing to migrate
    }


def test_a_mistake_in_the_file_is_caught() -> None:
    broken = COMPOSE.read_text().replace("condition: service_healthy", "condition: healthy", 1)
    text = interpolate(broken, env_example())
    with pytest.raises(ValueError, match="service_healthy"):
        PyOptions(apply_merge=True).from_yaml(text)


def test_every_variable_given_to_a_service_is_one_its_settings_read() -> None:
    for service in chibo_services(load()):
        readable = env_names(service.settings)
        unknown = set(service.environment) - set(readable)
        assert not unknown, f"{service.name}: {sorted(unknown)} are read by no setting"
        given = {readable[name] for name in service.environment}
        missing = required_fields(service.settings) - given
        assert not missing, f"{service.name}: required settings {missing} are not given"
        # The values must pass the settings' own validation, as they will in the container.
        service.settings.model_validate({readable[k]: v for k, v in service.environment.items()})


def test_the_long_running_services_are_supervised_and_wait_for_what_they_need() -> None:
    compose = load()
    for service in chibo_services(compose):
        spec = compose["services"][service.name]
        if service.one_shot:
            assert spec["depends_on"]["postgres"]["condition"] == "service_healthy"
            continue
        assert spec["restart"] == "unless-stopped"
        conditions = {k: v["condition"] for k, v in spec["depends_on"].items()}
        port = service.http_port
        assert port is not None
        assert "ports" not in spec  # its replicas are reached through the gateway
        if service.name == "web":
            # No data, no NATS: it needs the APIs it calls; it answers even while one is down.
            assert conditions == dict.fromkeys(
                ("assignment", "attendance", "rating"), "service_started"
            )
            assert service.healthcheck == [
                *("python", "-m", "chibo_chassis.healthcheck"),
                f"http://127.0.0.1:{port}/health/ready",  # its port is not CHIBO_HTTP_PORT
            ]
            assert (
                spec["healthcheck"]["interval"]
                == compose["services"]["rating"]["healthcheck"]["interval"]
            )
            continue
        assert service.healthcheck == ["python", "-m", "chibo_chassis.healthcheck"]
        assert conditions == {
            f"{service.name}-migrate": "service_completed_successfully",
            "nats": "service_healthy",
        }
        assert service.environment["CHIBO_HTTP_PORT"] == port


def test_nats_fsyncs_before_acknowledging_and_keeps_its_data_in_a_volume() -> None:
    nats = load()["services"]["nats"]
    assert nats["command"] == ["-c", "/etc/nats/nats.conf"]
    conf = (ROOT / "deploy/nats/nats.conf").read_text()
    assert re.search(r"^\s*sync_interval:\s*always\s*$", conf, re.M)
    assert re.search(r"^http_port:\s*8222", conf, re.M)
    assert any("nats-data:/data/jetstream" in str(v) for v in nats["volumes"])


def test_secrets_come_from_the_environment_never_from_the_file() -> None:
    text = COMPOSE.read_text()
    for secret in ("POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "CHIBO_RATING_DB_PASSWORD"):
        assert f"${{{secret}:?" in text or f"${{{secret}}}" in text
    raw = yaml.safe_load(text)
    for name, service in raw["services"].items():
        for key, value in (service.get("environment") or {}).items():
            where = f"{name}: {key}"
            if "PASSWORD" in key:
                assert re.fullmatch(r"\$\{[A-Z0-9_]+(:\?[^}]*)?\}", str(value)), where
            if "://" in str(value) and "@" in str(value):  # user:password@host in a URL
                password = str(value).split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
                assert re.fullmatch(r"\$\{[A-Z0-9_]+\}", password), where
    # Every secret the file needs has a placeholder, so `cp .env.example .env` is complete.
    with pytest.raises(KeyError, match="CHIBO_ASSIGNMENT_DB_PASSWORD"):
        load({k: v for k, v in env_example().items() if k != "CHIBO_ASSIGNMENT_DB_PASSWORD"})


def test_prometheus_scrapes_the_ports_the_services_listen_on() -> None:
    compose = load()
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    ports = {s.name: s.http_port for s in chibo_services(compose)}
    for job in config["scrape_configs"]:
        for target in scrape_targets(job):
            host, port = target.split(":")
            assert host in compose["services"], f"{job['job_name']}: no service {host}"
            if host in ports:
                assert ports[host] == port, f"{job['job_name']} scrapes {target}"
    mounted = " ".join(str(v) for v in compose["services"]["prometheus"]["volumes"])
    assert "./deploy/prometheus/rules.yml:/etc/prometheus/rules.yml" in mounted
    assert config["rule_files"] == ["/etc/prometheus/rules.yml"]


def test_the_web_app_calls_the_apis_where_compose_runs_them_with_its_secrets_from_the_env() -> None:
    compose = load()
    (web,) = [s for s in chibo_services(compose) if s.name == "web"]
    apis = {s.name: s.http_port for s in chibo_services(compose) if not s.one_shot}
    for api in ("assignment", "attendance", "rating"):
        url = web.environment[f"CHIBO_WEB_{api.upper()}_URL"]
        assert url == f"http://{api}:{apis[api]}"
    raw = yaml.safe_load(COMPOSE.read_text())["services"]["web"]["environment"]
    assert raw["CHIBO_WEB_SESSION_SECRET"].startswith("${CHIBO_WEB_SESSION_SECRET:?")
    # Secure cookies unless the operator says otherwise; no demo sign-in unless asked for.
    names = env_names(WebSettings)
    settings = WebSettings.model_validate({names[k]: v for k, v in web.environment.items()})
    assert (settings.secure_cookies, settings.demo_signin) == (True, False)
    with pytest.raises(KeyError, match="CHIBO_WEB_SESSION_SECRET"):
        load({k: v for k, v in env_example().items() if k != "CHIBO_WEB_SESSION_SECRET"})
