"""Reading docker-compose.yml the way Compose does: variables from .env.example
interpolated first, then YAML merge keys applied; and mapping a service's container view
(hosts, ports, mounted folders) onto this machine's embedded stack."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compose_spec import PyOptions
from pydantic_settings import BaseSettings

from assignment.settings import AssignmentSettings
from attendance.settings import AttendanceSettings
from rating.settings import RatingSettings
from web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SETTINGS: dict[str, type[BaseSettings]] = {
    "chibo-assignment": AssignmentSettings,
    "chibo-attendance": AttendanceSettings,
    "chibo-rating": RatingSettings,
    "chibo-web": WebSettings,
}
_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}")


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {key.strip(): value.strip() for key, value in pairs}


def interpolate(text: str, values: dict[str, str]) -> str:
    """${VAR}, ${VAR:-default} and ${VAR:?message}, as `docker compose config` does; a
    variable with neither a value nor a default is an error, like Compose's."""

    def one(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if name in values:
            return values[name]
        if operator == ":-":
            return str(argument)
        raise KeyError(f"{name} is used by docker-compose.yml but not set in .env.example")

    return _VARIABLE.sub(one, text)


def load(values: dict[str, str] | None = None) -> dict[str, Any]:
    """The validated compose model as a dict; raises ValueError on anything Compose rejects."""
    text = interpolate(COMPOSE.read_text(), env_example() if values is None else values)
    compose = PyOptions(apply_merge=True).from_yaml(text)
    compose.validate()
    return compose.to_dict()


@dataclass(frozen=True)
class ChiboService:
    """A compose service that runs one of our commands (the image's entry points)."""

    name: str
    command: list[str]
    environment: dict[str, str]
    volumes: list[str]
    healthcheck: list[str] | None
    restart: str
    replicas: int = 1

    @property
    def settings(self) -> type[BaseSettings]:
        return SETTINGS[self.command[0]]

    @property
    def one_shot(self) -> bool:
        return self.restart == "no"

    @property
    def http_port(self) -> str | None:
        """The port it serves on in its container (CHIBO_HTTP_PORT, CHIBO_WEB_HTTP_PORT)."""
        ports = [v for k, v in self.environment.items() if k.endswith("HTTP_PORT")]
        return ports[0] if ports else None


def chibo_services(compose: dict[str, Any]) -> list[ChiboService]:
    found = []
    for name, service in compose["services"].items():
        command = service.get("command")
        if not command or command[0] not in SETTINGS:
            continue
        check = service.get("healthcheck", {}).get("test")
        found.append(
            ChiboService(
                name=name,
                command=[str(part) for part in command],
                environment={
                    k: "" if v is None else str(v)  # `VAR:` in YAML is null: Compose gives ""
                    for k, v in service.get("environment", {}).items()
                },
                volumes=[str(v) for v in service.get("volumes", [])],
                healthcheck=[str(part) for part in check[1:]] if check else None,
                restart=str(service.get("restart", "no")),
                replicas=int(service.get("deploy", {}).get("replicas", 1)),
            )
        )
    return found


def env_names(settings: type[BaseSettings]) -> dict[str, str]:
    """Every environment variable a settings class reads, mapped to its field."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    names: dict[str, str] = {}
    for field_name, field in settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        if choices:
            names.update({str(choice): field_name for choice in choices})
        elif isinstance(alias, str):
            names[alias] = field_name
        else:
            names[f"{prefix}{field_name}".upper()] = field_name
    return names


def required_fields(settings: type[BaseSettings]) -> set[str]:
    return {name for name, field in settings.model_fields.items() if field.is_required()}


def scrape_targets(job: dict[str, Any]) -> list[str]:
    """A Prometheus job's targets as host:port: static ones, and the names it asks DNS for."""
    static = [t for s in job.get("static_configs", []) for t in s["targets"]]
    return static + [f"{n}:{s['port']}" for s in job.get("dns_sd_configs", []) for n in s["names"]]
