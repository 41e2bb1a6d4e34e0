"""Demo data: a year of the Võ Lao branch's monthly meetings, entered through the service's
own HTTP API like any client, on top of the assignment service's Võ Lao demo (its members
reach this service through NATS, so the demo first waits for the roster to arrive)."""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import httpx

BRANCH = "VL-TT"
YEAR = 2025
EXPECTED_MEMBERS = 41
# Excused absences spread over the year: (month, index among the expected members).
EXCUSED = {(2, 5), (4, 9), (7, 12), (7, 13), (10, 20), (12, 30)}


async def wait_for_roster(
    client: httpx.AsyncClient, day: str, members: int, wait_seconds: float = 60
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + wait_seconds
    while True:
        roster = _ok(await client.get(f"/v1/branches/{BRANCH}/roster", params={"on": day}))
        if len(roster["members"]) >= members:
            return list(roster["members"])
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the roster of {BRANCH} has {len(roster['members'])} of {members} members "
                f"after {wait_seconds:.0f} s: is the assignment service's demo in, and NATS up?"
            )
        await asyncio.sleep(0.5)  # polling a remote service's progress, not synchronising


async def seed_meetings(client: httpx.AsyncClient) -> int | None:
    """Twelve regular meetings of YEAR; None if they are already there."""
    year = _ok(await client.get(f"/v1/branches/{BRANCH}/years/{YEAR}"))
    if year["meetings"]:
        return None
    members = await wait_for_roster(client, f"{YEAR}-01-05", EXPECTED_MEMBERS)
    chair = next(m["member_id"] for m in members if m["committee"])
    for month in range(1, 13):
        day = f"{YEAR}-{month:02}-05"
        meeting = _ok(
            await client.post(
                f"/v1/branches/{BRANCH}/meetings",
                json={
                    "kind": "regular",
                    "scheduled_for": f"{day}T19:30:00+07:00",
                    "place": "Nhà văn hóa thị tứ Võ Lao",
                },
            )
        )
        expected = [m for m in members if m["expected"]]
        marks = [
            {"member_id": m["member_id"], "status": "absent_excused", "reason": "đi làm ăn xa"}
            if (month, i) in EXCUSED
            else {"member_id": m["member_id"], "status": "present"}
            for i, m in enumerate(expected)
        ]
        _ok(
            await client.post(
                f"/v1/meetings/{meeting['meeting_id']}/held",
                json={
                    "started_at": f"{day}T19:30:00+07:00",
                    "ended_at": f"{day}T21:15:00+07:00",
                    "place": "Nhà văn hóa thị tứ Võ Lao",
                    "chair_id": chair,
                    "minutes_recorded": True,
                    "prepared_by_committee": True,
                    "attendance": marks,
                },
            )
        )
    return 12


async def run_demo(base_url: str, token: str | None = None) -> str:
    """Signed in with `token`, else with $CHIBO_DEMO_TOKEN (what `./chibo up` hands the
    `demo` command: a province administrator's token)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=_bearer(token)) as client:
        seeded = await seed_meetings(client)
        year = _ok(await client.get(f"/v1/branches/{BRANCH}/years/{YEAR}"))
    rates = [m["facts"]["attendance_rate"] for m in year["meetings"] if m["facts"]]
    state = "seeded" if seeded else "already present"
    average = sum(rates) / len(rates) if rates else 0.0
    return f"Võ Lao meetings {YEAR} {state}: {len(rates)} held, average attendance {average:.1%}"


def _bearer(token: str | None) -> dict[str, str]:
    token = token if token is not None else os.environ.get("CHIBO_DEMO_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else {}


def _ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        raise RuntimeError(f"demo seed refused: {response.status_code} {response.text}")
    body: dict[str, Any] = response.json()
    return body
