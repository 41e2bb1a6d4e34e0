"""Regenerate the attendance service's committed contract documents.

    .venv/bin/python -m attendance.entrypoints.docs [REPO_ROOT]

writes `docs/api/attendance.openapi.json` and `docs/events/attendance/*.json` (see
`chibo_kernel.docs`). Building the app connects to nothing, so dummy settings will do.
"""

from __future__ import annotations

import sys
from typing import Any

from chibo_kernel.docs import docs_main, offline_settings

from ..bootstrap import SERVICE, build
from ..domain.events import REGISTRY
from ..settings import AttendanceSettings

COMMAND = ".venv/bin/python -m attendance.entrypoints.docs"


def openapi_document() -> dict[str, Any]:
    """The service's OpenAPI document, from an app built with settings it never uses."""
    settings = offline_settings(AttendanceSettings)
    app, _ = build(settings)
    return app.openapi()


if __name__ == "__main__":
    sys.exit(docs_main(COMMAND, SERVICE, openapi_document, REGISTRY))
