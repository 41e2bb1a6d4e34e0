"""Which loopback ports `chibo-stack up` serves on. With a state directory (--root) the
first run's ports are kept in it and every later run reuses them, so that a bookmark of the
web app still works the next day; --port BASE asks for BASE, BASE+1, … in the order of
ROLES (a training room gives each laptop its own block)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from .ports import free_port, is_free, is_reserved, reserve
from .processes import StartupError

# In the order of --port BASE: what a person opens first, then the APIs, then the servers.
ROLES = ("web", "assignment", "attendance", "rating", "nats", "nats-monitor", "postgres")
PORTS_FILE = "ports.json"
_HIGHEST = 65535


def plan_ports(root: Path | None, base: int | None = None) -> dict[str, int]:
    """A port per role, each free now and held back from free_port(). Kept in root (when
    given) for the next run; raises StartupError naming a port that is not free."""
    path = root / PORTS_FILE if root is not None else None
    if base is not None:
        ports = _block(base)
        why = f"asked for with --port {base}"
    else:
        stored = _read(path)
        ports = {role: stored.get(role) or 0 for role in ROLES}
        why = f"kept in {path} from an earlier run" if path is not None else ""
    kept = {role: port for role, port in ports.items() if port}
    busy = [f"{port} ({role})" for role, port in kept.items() if not is_free(port)]
    if busy:
        raise StartupError(
            f"port {', '.join(busy)}, {why}, is in use: is another `chibo up` running on "
            "it? Stop that one, or choose other ports with --port BASE "
            f"(BASE to BASE+{len(ROLES) - 1}: {', '.join(ROLES)})"
        )
    reserve(kept.values())  # before free_port() picks the ones still missing
    ports = {role: port or free_port() for role, port in ports.items()}
    if path is not None:
        _write(path, ports)
    return ports


def _block(base: int) -> dict[str, int]:
    ports = {role: base + offset for offset, role in enumerate(ROLES)}
    if base < 1024 or base + len(ROLES) - 1 > _HIGHEST:
        raise StartupError(f"--port {base}: BASE must be 1024 to {_HIGHEST - len(ROLES) + 1}")
    taken = [port for port in ports.values() if is_reserved(port)]
    if taken:  # a developer's own NATS or Postgres may run there
        raise StartupError(f"--port {base} would use {taken[0]}: choose another BASE")
    return ports


def _read(path: Path | None) -> Mapping[str, int]:
    if path is None or not path.is_file():
        return {}
    try:
        stored = json.loads(path.read_text())
    except ValueError as exc:
        raise StartupError(f"{path} is not the JSON `chibo up` wrote: {exc}") from None
    if not isinstance(stored, dict):
        raise StartupError(f"{path} is not the JSON object `chibo up` wrote")
    return {
        role: port
        for role, port in stored.items()
        if role in ROLES and isinstance(port, int) and 0 < port <= _HIGHEST
    }


def _write(path: Path, ports: Mapping[str, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(json.dumps(dict(ports), indent=2) + "\n")
    temp.replace(path)
