"""The attendance service as a real process, SIGKILLed while membership events stream in and
right after it acknowledged a command: after a restart every membership event is applied
exactly once and the acknowledged meeting is published exactly once."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx
import nats
from assignment_service.conftest import running_service
from kernel.support import eventually, read_stream
from signin import ADMIN, AUTH_ENV

from attendance.migrations import upgrade
from chibo_kernel.db import create_pool
from chibo_tools.embedded import create_database
from chibo_tools.embedded.ports import free_port
from chibo_tools.embedded.processes import ManagedProcess

from .branch import BRANCH, create_units, register

MEMBERS = 300
SCRIPT = Path(sys.executable).parent / "chibo-attendance"


async def test_killed_service_applies_each_membership_once_and_loses_no_meeting(
    fresh_database: str, pg_admin_url: str, service_nats: str, tmp_path: Path, province_keyring: str
) -> None:
    attendance_db = create_database(pg_admin_url, f"test_{tmp_path.name[-12:]}")
    await asyncio.to_thread(upgrade, attendance_db)
    port = free_port()
    process = ManagedProcess(
        "attendance",
        [SCRIPT, "serve"],
        log_path=tmp_path / "attendance.log",
        env={
            "CHIBO_ATTENDANCE_DATABASE_URL": attendance_db,
            "CHIBO_NATS_URL": service_nats,
            "CHIBO_ATTENDANCE_HTTP_PORT": str(port),
            **AUTH_ENV,
        },
    )
    pool = await create_pool(attendance_db)
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10, headers=ADMIN)

    async def ready() -> bool:
        try:
            return (await http.get("/health/ready")).status_code == 200
        except httpx.TransportError:
            return False

    async def periods() -> int:
        return int(await pool.fetchval("SELECT count(*) FROM roster_periods"))

    try:
        async with running_service(fresh_database, service_nats) as assignment:
            process.start()
            await eventually(ready, timeout=60, what="the attendance process to be ready")
            await create_units(assignment)
            members = [await register(assignment, i) for i in range(MEMBERS // 3)]

            async def some_applied() -> bool:
                return await periods() > 0

            await eventually(some_applied, timeout=30, what="the first members applied")
            process.kill()  # SIGKILL: no drain, no ack of the batch in hand
            members += [await register(assignment, i) for i in range(MEMBERS // 3, MEMBERS)]
            process.start()
            await eventually(ready, timeout=60, what="the restarted process")

            async def all_applied() -> bool:
                return await periods() >= MEMBERS

            await eventually(all_applied, timeout=60, what=f"{MEMBERS} members applied")
            roster = await http.get(f"/v1/branches/{BRANCH}/roster", params={"on": "2025-03-05"})
            assert sorted(m["member_id"] for m in roster.json()["members"]) == sorted(members)
            assert await periods() == MEMBERS  # not one applied twice

            body = {
                "kind": "regular",
                "scheduled_for": "2025-03-05T19:30:00+07:00",
                "place": "Nhà văn hóa",
            }
            answer = await http.post(f"/v1/branches/{BRANCH}/meetings", json=body)
            assert answer.status_code == 201, answer.text
            process.kill()  # acknowledged, perhaps not yet published
            process.start()
            await eventually(ready, timeout=60, what="the process after the second kill")

            nc = await nats.connect(service_nats)
            js = nc.jetstream()

            async def published() -> bool:
                return (await js.stream_info("CHIBO_ATTENDANCE")).state.messages >= 1

            await eventually(published, timeout=30, what="the meeting on JetStream")
            messages = await read_stream(js, "CHIBO_ATTENDANCE")
            assert [(m.headers or {}).get("ce-id") for m in messages] == answer.json()["event_ids"]
            await nc.drain()
    finally:
        process.stop()
        await http.aclose()
        await pool.close()
