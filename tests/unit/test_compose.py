"""docker-compose.yml is tested without a Docker engine: it parses and says what we mean."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_parses_and_nats_fsyncs_before_acknowledging() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    nats = compose["services"]["nats"]
    assert nats["command"] == ["-c", "/etc/nats/nats.conf"]
    mounted = {v.split(":")[0] for v in nats["volumes"]}
    assert "./deploy/nats/nats.conf" in mounted
    assert "sync_interval: always" in (ROOT / "deploy/nats/nats.conf").read_text()


def test_compose_takes_secrets_from_the_environment_not_the_file() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert "${POSTGRES_PASSWORD:?" in text
    assert (ROOT / ".env.example").exists()
