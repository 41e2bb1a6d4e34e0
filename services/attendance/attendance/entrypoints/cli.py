"""`chibo-attendance migrate` applies migrations, `serve` runs the service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from chibo_chassis import configured_or_exit, settings_or_exit
from chibo_kernel.logging import configure_logging

from ..settings import AttendanceSettings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chibo-attendance")
    parser.add_argument("command", choices=["migrate", "serve"])
    args = parser.parse_args(argv)
    settings = settings_or_exit(AttendanceSettings)
    configure_logging("attendance", settings.log_level)
    if args.command == "migrate":
        from ..migrations import upgrade

        upgrade(settings.database_url)
        return 0
    from chibo_chassis.http import serve

    from ..bootstrap import build

    app, _ = configured_or_exit(lambda: build(settings))
    serve(app, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
