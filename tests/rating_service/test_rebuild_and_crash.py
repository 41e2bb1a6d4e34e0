"""Read models that survive anything: a rebuild from the streams while queries keep
answering gives identical read models, and a rating process SIGKILLed mid-projection and
restarted gives read models identical to an uninterrupted run's."""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path

import httpx
from attendance_service.branch import BRANCH
from kernel.support import eventually
from signin import ADMIN, AUTH_ENV

from chibo_kernel.db import create_pool
from chibo_tools.embedded import create_database
from chibo_tools.embedded.ports import free_port
from chibo_tools.embedded.processes import ManagedProcess
from rating.migrations import upgrade

from .conftest import Rating, Trio, running_rating
from .dump import differences, dump_read_models
from .year import a_year

SCRIPT = Path(sys.executable).parent / "chibo-rating"


async def test_a_rebuild_fills_a_new_generation_while_the_old_one_answers(trio: Trio) -> None:
    r = trio.rating
    members = await a_year(trio, 6)
    await r.caught_up()
    decisions = [{"subject_id": m, "level": "good"} for m in members]
    body = {"decisions": decisions, "decided_on": "2026-01-10"}
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/2025/decisions", json=body)
    await r.caught_up()  # the decisions' ratings derived again
    before = await dump_read_models(r.database_url)
    cards_before = await r.ok("GET", "/v1/units/VL/branches/2025")

    started = await r.ok("POST", "/v1/admin/read-models/rebuild")
    assert (started["active"], started["requested"]) == (1, 2)
    # Queries answer from generation 1 while generation 2 fills.
    assert await r.ok("GET", "/v1/units/VL/branches/2025") == cards_before

    async def switched() -> bool:
        return bool((await r.ok("GET", "/v1/admin/read-models"))["active"] == 2)

    await eventually(switched, timeout=60, what="the switch to generation 2")
    after = await dump_read_models(r.database_url)
    assert not differences(after, before)
    assert sum(len(rows) for rows in after.values()) > 100
    assert await r.ok("GET", "/v1/units/VL/branches/2025") == cards_before

    async def old_dropped() -> bool:
        schemas = await r.runtime.pool.fetch(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm_%' ORDER BY 1"
        )
        return [s["nspname"] for s in schemas] == ["rm_2"]

    await eventually(old_dropped, timeout=30, what="generation 1 to be dropped after the switch")
    status = await r.ok("GET", "/v1/admin/read-models")
    assert [g["state"] for g in status["generations"]] == ["dropped", "active"]


async def test_a_killed_rating_process_projects_each_event_once(
    trio: Trio, pg_admin_url: str, service_nats: str, tmp_path: Path
) -> None:
    await a_year(trio, 30)
    await trio.rating.caught_up()  # the uninterrupted run, in-process
    uninterrupted = await dump_read_models(trio.rating.database_url)

    database = create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")
    await asyncio.to_thread(upgrade, database)  # Alembic runs its own event loop
    port = free_port()
    process = ManagedProcess(
        "rating",
        [SCRIPT, "serve"],
        log_path=tmp_path / "rating.log",
        env={
            "CHIBO_RATING_DATABASE_URL": database,
            "CHIBO_NATS_URL": service_nats,
            "CHIBO_RATING_HTTP_PORT": str(port),
            # Small batches, so that a kill lands between commits: with the default 256 the
            # 360 reports come in two batches, and the second can commit before the kill.
            "CHIBO_CONSUMER_BATCH_SIZE": "16",
            **AUTH_ENV,
        },
    )
    pool = await create_pool(database)

    async def projected() -> int:
        schema = await pool.fetchval(
            "SELECT 'rm_' || generation FROM consumed_read_models "
            "WHERE name = 'rating-facts' AND state = 'active'"
        )
        if schema is None:
            return 0
        return int(await pool.fetchval(f"SELECT count(*) FROM {schema}.reports"))

    try:
        for kill_after in (50, 200):
            process.start()

            async def part_done(at_least: int = kill_after) -> bool:
                return await projected() >= at_least

            await eventually(part_done, timeout=60, what=f"{kill_after} reports projected")
            process.kill()
        assert await projected() < 360, "the kills came too late to interrupt anything"
        process.start()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=ADMIN) as client:

            async def caught_up() -> bool:
                try:
                    status = (await client.get("/v1/admin/read-models")).json()
                except httpx.TransportError:
                    return False
                pending = status["pending"].values()
                assert not any(status["parked"].values()), status["parked"]
                return bool(pending) and all(p == 0 for p in pending)

            await eventually(caught_up, timeout=60, what="the restarted process to catch up")
        assert await pool.fetchval("SELECT count(*) FROM parked_messages") == 0
        assert not differences(await dump_read_models(database), uninterrupted)
    finally:
        process.stop()
        await pool.close()


async def test_a_province_may_override_a_rule_set(
    trio: Trio, pg_admin_url: str, service_nats: str, tmp_path: Path
) -> None:
    members = await a_year(trio, 4)

    async def self_assessments(rating: Rating) -> None:
        for member, points in zip(members[:2], (100, 90), strict=True):
            own = {
                "general_points": 30,
                "task_points": points - 30,
                "tasks_total": 10,
                "tasks_on_time": 10,
                "tasks_exceeded": 0,
                "level": "good",
            }
            await rating.ok("POST", f"/v1/members/{member}/ratings/2025/self-assessment", json=own)

    await trio.rating.caught_up()  # the year's evidence has arrived through NATS
    await self_assessments(trio.rating)
    default = await trio.rating.ok("GET", f"/v1/units/{BRANCH}/proposals/2025")
    rules = (
        Path(__file__).resolve().parents[2] / "services/rating/rating/rules/qd366_hd43_2025.toml"
    )
    text = rules.read_text(encoding="utf-8")
    good_from = 'min_score = { value = 70, source = "QĐ 366 Điều 11 khoản 2'
    assert good_from in text
    stricter = text.replace(
        good_from, 'min_score = { value = 99, source = "Tỉnh ủy, theo QĐ 366 Điều 11 khoản 2'
    )
    (tmp_path / "province.toml").write_text(stricter, encoding="utf-8")
    database = create_database(pg_admin_url, f"test_{uuid.uuid4().hex[:16]}")
    async with running_rating(database, service_nats, rules_dir=str(tmp_path)) as province:
        await province.caught_up()
        await self_assessments(province)
        overridden = await province.ok("GET", f"/v1/units/{BRANCH}/proposals/2025")
    before = {p["subject_id"]: p["level"] for p in default["proposals"]}
    after = {p["subject_id"]: p["level"] for p in overridden["proposals"]}
    # Member 1 scored 90: good by default, not by the province's 99 for good.
    assert before[members[1]] == "good"
    assert after[members[1]] == "completed"
    assert after[members[0]] == before[members[0]] == "good"  # 100 points either way
