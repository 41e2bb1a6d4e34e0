"""`python -m rating.van_ban --assignment URL --attendance URL --rating URL`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import httpx

from .enter import generate
from .plan import DEFAULTS, GeneratorError

# --- the command line ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rating.van_ban",
        description="Generate the Văn Bàn district of the seeds and its year through the "
        "running services' APIs; print the roll-up and the time each phase took.",
    )
    parser.add_argument("--assignment", required=True, help="the assignment service's URL")
    parser.add_argument("--attendance", required=True, help="the attendance service's URL")
    parser.add_argument("--rating", required=True, help="the rating service's URL")
    parser.add_argument("--seed", type=int, default=DEFAULTS.seed)
    parser.add_argument("--concurrency", type=int, default=DEFAULTS.concurrency)
    parser.add_argument("--province", default=DEFAULTS.province_id)
    parser.add_argument("--district", default=DEFAULTS.district_id)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per request")
    args = parser.parse_args(argv)
    params = replace(
        DEFAULTS,
        seed=args.seed,
        concurrency=args.concurrency,
        province_id=args.province,
        district_id=args.district,
    )

    async def run() -> dict[str, Any]:
        async with (
            httpx.AsyncClient(base_url=args.assignment, timeout=args.timeout) as assignment,
            httpx.AsyncClient(base_url=args.attendance, timeout=args.timeout) as attendance,
            httpx.AsyncClient(base_url=args.rating, timeout=args.timeout) as rating,
        ):
            return await generate(assignment, attendance, rating, params, _stderr)

    try:
        result = asyncio.run(run())
    except GeneratorError as failed:
        print(f"van_ban: {failed}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
