"""`chibo-rating migrate` applies migrations, `serve` runs the service, `rebuild` asks the
running service to rebuild its consumed read models and waits for the switch, `demo` prints
the demo branch's roll-up once the other services' demo data has been projected."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from chibo_kernel import settings_or_exit
from chibo_kernel.logging import configure_logging

from ..settings import RatingSettings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chibo-rating")
    parser.add_argument("command", choices=["migrate", "serve", "rebuild", "demo"])
    args = parser.parse_args(argv)
    settings = settings_or_exit(RatingSettings)
    configure_logging("rating", settings.log_level)
    url = f"http://{settings.http_host}:{settings.http_port}"
    if args.command == "migrate":
        from ..migrations import upgrade

        upgrade(settings.database_url)
        return 0
    if args.command in ("rebuild", "demo"):
        import asyncio

        from .operator import rebuild, run_demo

        print(asyncio.run(rebuild(url) if args.command == "rebuild" else run_demo(url)))
        return 0
    from chibo_kernel.http import serve

    from ..bootstrap import build

    app, _, _ = build(settings)
    serve(app, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
