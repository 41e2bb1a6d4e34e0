"""Debian's prometheus and promtool, unpacked by tools/prometheus/fetch (which
`./chibo test` runs first) into .tools/prometheus."""

from __future__ import annotations

from pathlib import Path

BIN = Path(__file__).resolve().parents[2] / ".tools" / "prometheus" / "usr" / "bin"


def _tool(name: str) -> str:
    path = BIN / name
    assert path.is_file(), f"{path} is missing: run tools/prometheus/fetch (./chibo test does)"
    return str(path)


def promtool() -> str:
    return _tool("promtool")


def prometheus() -> str:
    return _tool("prometheus")
