"""`chibo-web serve` runs the app. `migrate` and `demo` have nothing to do (the app keeps
no data), and exist because the embedded stack runs those of every service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from chibo_kernel.logging import configure_logging

from ..settings import WebSettings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chibo-web")
    parser.add_argument("command", choices=["migrate", "serve", "demo"])
    args = parser.parse_args(argv)
    if args.command in {"migrate", "demo"}:
        print(f"chibo-web: nothing to {args.command}: the app keeps no data")
        return 0
    try:
        settings = WebSettings()  # from the environment
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        variable = f"CHIBO_WEB_{str(first['loc'][0]).upper()}" if first["loc"] else "?"
        print(f"chibo-web: {variable}: {first['msg']}", file=sys.stderr)
        return 2
    configure_logging("web", settings.log_level)
    import uvicorn

    from ..bootstrap import build

    uvicorn.run(
        build(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,  # the request log writes the line, as JSON
        timeout_graceful_shutdown=10,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
