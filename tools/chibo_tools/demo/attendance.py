"""Demo data: three years (2023-2025) of the Võ Lao branch's monthly meetings, entered
through the service's own HTTP API like any client, on top of the assignment service's Võ Lao
demo (its members reach this service through NATS, so the demo first waits for the roster to
arrive). Each regular meeting on the 5th at 19:30, 105 minutes, prepared by the committee,
with minutes and its whole attendance sheet: everyone expected is present but for a few
excused absences a year (away for work, ill, on duty), which never cost a member anything."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from .calls import bearer, ok

BRANCH = "VL-TT"
YEARS = (2023, 2024, 2025)  # the assignment demo's plans
EXPECTED_MEMBERS = 41
PLACE = "Nhà văn hóa thị tứ Võ Lao"
# Excused absences of each year: (month, index among the expected members) → reason.
EXCUSED: dict[int, dict[tuple[int, int], str]] = {
    2023: {
        (3, 8): "đi làm ăn xa",
        (5, 17): "ốm, nằm viện",
        (8, 17): "ốm, nằm viện",
        (9, 24): "đi công tác",
        (11, 3): "việc gia đình (đám hiếu)",
    },
    2024: {
        (1, 11): "đi làm ăn xa",
        (4, 29): "ốm",
        (6, 6): "đi công tác",
        (6, 35): "đi làm ăn xa",
        (9, 22): "chăm người nhà ốm",
        (12, 14): "đi công tác",
    },
    2025: {
        (2, 5): "đi làm ăn xa",
        (4, 9): "ốm",
        (7, 12): "đi làm ăn xa",
        (7, 13): "đi công tác",
        (10, 20): "chăm người nhà ốm",
        (12, 30): "đi làm ăn xa",
    },
}


async def wait_for_roster(
    client: httpx.AsyncClient, day: str, members: int, wait_seconds: float = 60
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + wait_seconds
    while True:
        response = await client.get(f"/v1/branches/{BRANCH}/roster", params={"on": day})
        # 404: the branch itself has not reached attendance through NATS yet.
        roster = {"members": []} if response.status_code == 404 else ok(response)
        if len(roster["members"]) >= members:
            return list(roster["members"])
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the roster of {BRANCH} has {len(roster['members'])} of {members} members "
                f"after {wait_seconds:.0f} s: is the assignment service's demo in, and NATS up?"
            )
        await asyncio.sleep(0.5)  # polling a remote service's progress, not synchronising


async def seed_meetings(client: httpx.AsyncClient) -> dict[int, int]:
    """Twelve regular meetings of each of YEARS that has none yet: year → meetings held."""
    held: dict[int, int] = {}
    for year in YEARS:
        found = ok(await client.get(f"/v1/branches/{BRANCH}/years/{year}"))
        if found["meetings"]:
            continue
        members = await wait_for_roster(client, f"{year}-01-05", EXPECTED_MEMBERS)
        chair = next(m["member_id"] for m in members if m["committee"])
        expected = [m for m in members if m["expected"]]
        for month in range(1, 13):
            await _hold(client, f"{year}-{month:02}-05", chair, expected, EXCUSED[year], month)
        held[year] = 12
    return held


async def _hold(
    client: httpx.AsyncClient,
    day: str,
    chair: str,
    expected: list[dict[str, Any]],
    excused: dict[tuple[int, int], str],
    month: int,
) -> None:
    meeting = ok(
        await client.post(
            f"/v1/branches/{BRANCH}/meetings",
            json={"kind": "regular", "scheduled_for": f"{day}T19:30:00+07:00", "place": PLACE},
        )
    )
    marks = [
        {"member_id": m["member_id"], "status": "absent_excused", "reason": excused[(month, i)]}
        if (month, i) in excused
        else {"member_id": m["member_id"], "status": "present"}
        for i, m in enumerate(expected)
    ]
    ok(
        await client.post(
            f"/v1/meetings/{meeting['meeting_id']}/held",
            json={
                "started_at": f"{day}T19:30:00+07:00",
                "ended_at": f"{day}T21:15:00+07:00",
                "place": PLACE,
                "chair_id": chair,
                "minutes_recorded": True,
                "prepared_by_committee": True,
                "attendance": marks,
            },
        )
    )


async def run_demo(base_url: str, token: str | None = None) -> str:
    """Signed in with `token`, else with $CHIBO_DEMO_TOKEN (what `./chibo up` hands the
    `demo` command: a province administrator's token)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=bearer(token)) as client:
        seeded = await seed_meetings(client)
        years = [ok(await client.get(f"/v1/branches/{BRANCH}/years/{y}")) for y in YEARS]
    parts = []
    for year, found in zip(YEARS, years, strict=True):
        rates = [m["facts"]["attendance_rate"] for m in found["meetings"] if m["facts"]]
        average = sum(rates) / len(rates) if rates else 0.0
        parts.append(f"{year} {len(rates)} held ({average:.1%} attendance)")
    state = "seeded" if seeded else "already present"
    return f"Võ Lao meetings {state}: " + ", ".join(parts)
