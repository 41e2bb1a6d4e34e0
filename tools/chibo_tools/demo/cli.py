"""`chibo-demo SERVICE` enters a service's share of the seeds' Võ Lao demo through its running
API (assignment: units, members and three years of plans and reports; attendance: the
meetings; rating: each year's self-assessments, appraisals and decisions). It reads the
service's own settings for its address and signs in as `chibo-SERVICE demo` did: with
$CHIBO_TOKEN, else a province administrator's token minted from CHIBO_AUTH_SHARED_SECRET on
the embedded stack, and the stack's $CHIBO_DEMO_TOKEN."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from chibo_chassis import KernelSettings, settings_or_exit
from chibo_chassis.auth import operator_token
from chibo_kernel.logging import configure_logging

SETTINGS = {
    "assignment": ("assignment.settings", "AssignmentSettings"),
    "attendance": ("attendance.settings", "AttendanceSettings"),
    "rating": ("rating.settings", "RatingSettings"),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chibo-demo", description=__doc__)
    parser.add_argument("service", choices=sorted(SETTINGS))
    args = parser.parse_args(argv)
    module, name = SETTINGS[args.service]
    kind: type[KernelSettings] = getattr(importlib.import_module(module), name)
    settings = settings_or_exit(kind)
    configure_logging(f"{args.service}-demo", settings.log_level)
    url = f"http://{settings.http_host}:{settings.http_port}"
    demo = importlib.import_module(f"chibo_tools.demo.{args.service}")
    run: Callable[..., Coroutine[Any, Any, str]] = demo.run_demo
    try:
        print(asyncio.run(run(url, token=operator_token(settings, "demo"))))
    except RuntimeError as refused:  # the service refused: its status and problem
        print(f"chibo-demo {args.service}: {refused}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
