"""Operator commands that talk to the running service: the rebuild, with progress, and the
wait until the read models have caught up. They sign in with a bearer token: the rebuild
needs a province administrator's (`operate`)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

POLL_SECONDS = 1.0


class OperatorRefused(RuntimeError):
    """The service answered with an error: the message has its status and problem."""


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def checked_json(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise OperatorRefused(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:500]}"
        )
    return response.json()


async def rebuild(base_url: str, wait_seconds: float = 3600, token: str | None = None) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=bearer(token)) as client:
        started = checked_json(await client.post("/v1/admin/read-models/rebuild"))
        target = int(started["requested"])
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            status = checked_json(await client.get("/v1/admin/read-models"))
            if (status["active"] or 0) >= target:
                return f"read models rebuilt: generation {target} is active"
            pending = sum(p or 0 for p in status["pending"].values())
            print(f"rebuilding generation {target}: {pending} events to go", flush=True)
            await asyncio.sleep(POLL_SECONDS)  # polling a remote service's progress
    return f"generation {target} is still building after {wait_seconds:.0f} s"


async def wait_caught_up(client: httpx.AsyncClient, wait_seconds: float = 120) -> None:
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        pending = checked_json(await client.get("/v1/admin/read-models"))["pending"].values()
        if pending and all(p == 0 for p in pending):
            return
        await asyncio.sleep(POLL_SECONDS)  # polling a remote service's progress
    raise RuntimeError(f"rating has not caught up with the streams after {wait_seconds:.0f} s")
