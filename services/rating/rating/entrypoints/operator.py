"""Operator commands that talk to the running service: the rebuild, with progress, and the
demo's roll-up."""

from __future__ import annotations

import asyncio
import time

import httpx

POLL_SECONDS = 1.0


async def rebuild(base_url: str, wait_seconds: float = 3600) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        started = (await client.post("/v1/admin/read-models/rebuild")).json()
        target = started["building"]
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            status = (await client.get("/v1/admin/read-models")).json()
            if status["active"] == target:
                return f"read models rebuilt: generation {target} is active"
            pending = sum(p or 0 for p in status["pending"].values())
            print(f"rebuilding generation {target}: {pending} events to go", flush=True)
            await asyncio.sleep(POLL_SECONDS)  # polling a remote service's progress
    return f"generation {target} is still building after {wait_seconds:.0f} s"


async def wait_caught_up(client: httpx.AsyncClient, wait_seconds: float = 120) -> None:
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        pending = (await client.get("/v1/admin/read-models")).json()["pending"].values()
        if pending and all(p == 0 for p in pending):
            return
        await asyncio.sleep(POLL_SECONDS)  # polling a remote service's progress
    raise RuntimeError(f"rating has not caught up with the streams after {wait_seconds:.0f} s")


async def run_demo(base_url: str, branch: str = "VL-TT", year: int = 2025) -> str:
    """The demo branch as rating sees it once the other services' demo data has arrived."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        await wait_caught_up(client)
        cards = (await client.get(f"/v1/units/{branch}/branches/{year}")).json()
        proposals = (await client.get(f"/v1/units/{branch}/proposals/{year}")).json()
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
