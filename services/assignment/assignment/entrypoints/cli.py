"""`chibo-assignment migrate` applies migrations; `chibo-assignment serve` runs the service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from chibo_kernel import settings_or_exit
from chibo_kernel.logging import configure_logging

from ..settings import AssignmentSettings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chibo-assignment")
    parser.add_argument("command", choices=["migrate", "serve"])
    args = parser.parse_args(argv)
    settings = settings_or_exit(AssignmentSettings)
    configure_logging("assignment", settings.log_level)
    if args.command == "migrate":
        from ..migrations import upgrade

        upgrade(settings.database_url)
        return 0
    import uvicorn

    from ..bootstrap import build

    app, _ = build(settings)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
