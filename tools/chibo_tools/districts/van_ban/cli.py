"""The command line of a generated district: `python -m rating.<district> --assignment URL
--attendance URL --rating URL [--token T]`.

The generator enters the district as a province administrator (it creates the district
itself): it signs in with --token, else $CHIBO_TOKEN, else the embedded stack's
$CHIBO_TOKEN_PROVINCE_ADMIN (`. .chibo/tokens.env`), else it signs its own token with
$CHIBO_AUTH_SHARED_SECRET (the embedded stack's secret; CHIBO_AUTH_ISSUER and
CHIBO_AUTH_AUDIENCE as the services read them)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import httpx

from chibo_chassis.auth import Role, issue_token

from .api import GeneratorError

Generate = Callable[
    [httpx.AsyncClient, httpx.AsyncClient, httpx.AsyncClient, Any, Callable[[str], None]],
    Awaitable[dict[str, Any]],
]


def main(
    argv: Sequence[str] | None, *, prog: str, description: str, defaults: Any, generate: Generate
) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {prog}", description=description)
    parser.add_argument("--assignment", required=True, help="the assignment service's URL")
    parser.add_argument("--attendance", required=True, help="the attendance service's URL")
    parser.add_argument("--rating", required=True, help="the rating service's URL")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency)
    parser.add_argument("--province", default=defaults.province_id)
    parser.add_argument("--district", default=defaults.district_id)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per request")
    parser.add_argument(
        "--token",
        default=os.environ.get("CHIBO_TOKEN") or os.environ.get("CHIBO_TOKEN_PROVINCE_ADMIN"),
        help="a whole-province administrator's bearer token for the three services "
        "(default $CHIBO_TOKEN, then $CHIBO_TOKEN_PROVINCE_ADMIN, then one signed with "
        "$CHIBO_AUTH_SHARED_SECRET)",
    )
    args = parser.parse_args(argv)
    name = prog.rsplit(".", 1)[-1]
    token = args.token or signed_token(os.environ, name)
    if not token:
        print(
            f"{name}: sign-in needed: give --token (or set CHIBO_TOKEN, or "
            "CHIBO_AUTH_SHARED_SECRET on the embedded stack)",
            file=sys.stderr,
        )
        return 2
    headers = {"Authorization": f"Bearer {token}"}
    params = replace(
        defaults,
        seed=args.seed,
        concurrency=args.concurrency,
        province_id=args.province,
        district_id=args.district,
    )

    async def run() -> dict[str, Any]:
        async with (
            httpx.AsyncClient(
                base_url=args.assignment, timeout=args.timeout, headers=headers
            ) as assignment,
            httpx.AsyncClient(
                base_url=args.attendance, timeout=args.timeout, headers=headers
            ) as attendance,
            httpx.AsyncClient(
                base_url=args.rating, timeout=args.timeout, headers=headers
            ) as rating,
        ):
            return await generate(assignment, attendance, rating, params, _stderr)

    try:
        result = asyncio.run(run())
    except GeneratorError as failed:
        print(f"{name}: {failed}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def signed_token(env: Mapping[str, str], name: str = "van_ban") -> str | None:
    """A province administrator's token signed with the embedded stack's shared secret."""
    secret = env.get("CHIBO_AUTH_SHARED_SECRET")
    if not secret:
        return None
    return issue_token(
        secret,
        subject=f"{name.replace('_', '-')}-generator",
        role=Role.PROVINCE_ADMIN,
        org="",
        issuer=env.get("CHIBO_AUTH_ISSUER", "chibo-embedded"),
        audience=env.get("CHIBO_AUTH_AUDIENCE", "chibo"),
    )


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
