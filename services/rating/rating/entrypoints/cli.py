"""`chibo-rating migrate` applies migrations, `serve` runs the service, `rebuild` asks the
running service to rebuild its consumed read models and waits for the switch, `demo` rates
the Võ Lao demo branch's years 2023-2025 once the other services' demo data has been
projected (self-assessments, appraisals, decisions as proposed) and prints each year's rule
set and roll-up.

`rebuild` and `demo` call the running service's API, so they sign in: with $CHIBO_TOKEN (a
province administrator's token from the identity provider) or, on the embedded stack, with
a province administrator's token they mint from CHIBO_AUTH_SHARED_SECRET; `demo` also takes
the stack's $CHIBO_DEMO_TOKEN."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from chibo_kernel import configured_or_exit, settings_or_exit
from chibo_kernel.auth import operator_token
from chibo_kernel.logging import configure_logging

from ..settings import RatingSettings

OPERATOR = "chibo-rating-operator"


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

        from .operator import OperatorRefused, rebuild, run_demo

        try:
            if args.command == "rebuild":
                print(asyncio.run(rebuild(url, token=operator_token(settings, OPERATOR))))
            else:
                print(asyncio.run(run_demo(url, token=operator_token(settings, "demo"))))
        except OperatorRefused as refused:
            print(f"chibo-rating {args.command}: {refused}", file=sys.stderr)
            return 1
        return 0
    from chibo_kernel.http import serve

    from ..bootstrap import build

    app, _, _ = configured_or_exit(lambda: build(settings))
    serve(app, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
