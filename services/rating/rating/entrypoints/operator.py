"""Operator commands that talk to the running service: the rebuild, with progress, and the
demo's roll-up. Both sign in with a bearer token: the rebuild needs a province
administrator's (`operate`), the demo any role that may read the demo branch."""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import httpx

POLL_SECONDS = 1.0


class OperatorRefused(RuntimeError):
    """The service answered with an error: the message has its status and problem."""


def _bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def _json(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise OperatorRefused(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:500]}"
        )
    return response.json()


async def rebuild(base_url: str, wait_seconds: float = 3600, token: str | None = None) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=_bearer(token)) as client:
        started = _json(await client.post("/v1/admin/read-models/rebuild"))
        target = started["building"]
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            status = _json(await client.get("/v1/admin/read-models"))
            if status["active"] == target:
                return f"read models rebuilt: generation {target} is active"
            pending = sum(p or 0 for p in status["pending"].values())
            print(f"rebuilding generation {target}: {pending} events to go", flush=True)
            await asyncio.sleep(POLL_SECONDS)  # polling a remote service's progress
    return f"generation {target} is still building after {wait_seconds:.0f} s"


async def wait_caught_up(client: httpx.AsyncClient, wait_seconds: float = 120) -> None:
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        pending = _json(await client.get("/v1/admin/read-models"))["pending"].values()
        if pending and all(p == 0 for p in pending):
            return
        await asyncio.sleep(POLL_SECONDS)  # polling a remote service's progress
    raise RuntimeError(f"rating has not caught up with the streams after {wait_seconds:.0f} s")


async def run_demo(
    base_url: str, branch: str = "VL-TT", year: int = 2025, token: str | None = None
) -> str:
    """The demo branch as rating sees it once the other services' demo data has arrived.
    Signed in with `token`, else with $CHIBO_DEMO_TOKEN (what `./chibo up` hands the `demo`
    command: a province administrator's token)."""
    token = token if token is not None else os.environ.get("CHIBO_DEMO_TOKEN")
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers=_bearer(token)) as client:
        await wait_caught_up(client)
        cards = _json(await client.get(f"/v1/units/{branch}/branches/{year}"))
        proposals = _json(await client.get(f"/v1/units/{branch}/proposals/{year}"))
    card = next(c for c in cards if c["unit_id"] == branch)
    levels: dict[str, int] = {}
    for proposal in proposals["proposals"]:
        key = proposal["level"] or "not rated"
        levels[key] = levels.get(key, 0) + 1
    held = int(card["metrics"]["regular_meetings_held"])
    return (
        f"rating {branch} {year} ({proposals['rule_set']}): {held}/12 regular meetings, "
        f"proposed {levels}, branch proposed {card['proposed_level']}"
    )
