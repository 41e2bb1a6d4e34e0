"""Regenerate the services' committed contract documents: for each service,
`docs/api/<service>.openapi.json` and `docs/events/<service>/*.json` (see `docs.py`).

    .venv/bin/python -m chibo_tools.service_docs [SERVICE ...] [--root REPO_ROOT]

Building an app connects to nothing, so dummy settings will do.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chibo_kernel import EventRegistry

from .docs import find_repo_root, offline_settings, write_documents

COMMAND = ".venv/bin/python -m chibo_tools.service_docs"
SERVICES = ("assignment", "attendance", "rating")
_SETTINGS = {
    "assignment": "AssignmentSettings",
    "attendance": "AttendanceSettings",
    "rating": "RatingSettings",
}


def openapi_document(service: str) -> dict[str, Any]:
    """The service's OpenAPI document, from an app built with settings it never uses."""
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    settings = getattr(importlib.import_module(f"{service}.settings"), _SETTINGS[service])
    built = bootstrap.build(offline_settings(settings))
    document: dict[str, Any] = built[0].openapi()
    return document


def registry(service: str) -> EventRegistry:
    found: EventRegistry = importlib.import_module(f"{service}.domain.events").REGISTRY
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND)
    parser.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(SERVICES))
    parser.add_argument("--root", type=Path, help="repository root (default: found)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.services) - set(SERVICES))
    if unknown:
        parser.error(f"unknown services: {', '.join(unknown)}")
    root: Path | None = args.root or find_repo_root(Path.cwd())
    if root is None:
        parser.error("no repository root found (a parent with docs/ or .git); pass --root")
    for service in args.services or SERVICES:
        for path in write_documents(
            root.resolve(), service, openapi_document(service), registry(service)
        ):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
