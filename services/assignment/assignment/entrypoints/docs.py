"""Regenerate the assignment service's committed contract documents.

    .venv/bin/python -m assignment.entrypoints.docs [REPO_ROOT]

writes `docs/api/assignment.openapi.json` and `docs/events/assignment/*.json` (see
`chibo_kernel.docs`). Building the app connects to nothing, so dummy settings will do.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chibo_kernel.docs import write_documents

from ..bootstrap import SERVICE, build
from ..domain.events import REGISTRY
from ..settings import AssignmentSettings

COMMAND = ".venv/bin/python -m assignment.entrypoints.docs"


def openapi_document() -> dict[str, Any]:
    """The service's OpenAPI document, from an app built with settings it never uses."""
    settings = AssignmentSettings(
        database_url="postgresql://docs@127.0.0.1:1/docs", nats_url="nats://127.0.0.1:1"
    )
    app, _ = build(settings)
    return app.openapi()


def find_repo_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` that holds `docs/` or `.git`."""
    for directory in (start, *start.parents):
        if (directory / "docs").is_dir() or (directory / ".git").exists():
            return directory
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assignment.entrypoints.docs")
    parser.add_argument("root", nargs="?", type=Path, help="repository root (default: found)")
    args = parser.parse_args(argv)
    root: Path | None = args.root
    if root is None:
        root = find_repo_root(Path(__file__).resolve().parent) or find_repo_root(Path.cwd())
    if root is None:
        parser.error("no repository root found (a parent with docs/ or .git); pass it")
    for path in write_documents(root.resolve(), SERVICE, openapi_document(), REGISTRY):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
