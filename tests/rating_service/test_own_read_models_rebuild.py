"""Every read model, rebuilt by `chibo-<service> rebuild` while the services run: after a
branch's year, tables emptied by accident come back row for row (each service's own, from
its event store; attendance's roster, from assignment's stream through a new generation the
running service fills and switches to), and the services write their next commands into
the new tables."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from attendance_service.branch import BRANCH, register

from assignment.adapters.own_read_models import OWN_READ_MODELS as ASSIGNMENT
from attendance.adapters.own_read_models import OWN_READ_MODELS as ATTENDANCE
from attendance.adapters.roster_read_model import ROSTER_TABLES
from chibo_chassis.keyring_database import command_keyring
from chibo_kernel.db import create_pool
from chibo_kernel.read_models import OwnReadModels, rebuild_own
from rating.adapters.own_read_models import OWN_READ_MODELS as RATING

from .conftest import Trio
from .year import a_year

BIN = Path(sys.executable).parent

Dump = dict[str, list[tuple[Any, ...]]]


async def dump(database_url: str, spec: OwnReadModels, *more: str) -> Dump:
    pool = await create_pool(database_url)
    try:
        found: Dump = {}
        for table in (*spec.tables, *more):
            rows = await pool.fetch(f"SELECT * FROM {table}")
            found[table] = sorted((tuple(r.values()) for r in rows), key=repr)
        return found
    finally:
        await pool.close()


async def cli(service: str, database_url: str) -> tuple[int, str, str]:
    env = {
        "PATH": os.environ["PATH"],
        f"CHIBO_{service.upper()}_DATABASE_URL": database_url,
        "CHIBO_NATS_URL": "nats://127.0.0.1:1",  # not used: the rebuild reads the database
        # what the services under test were given: it opens their private events
        "CHIBO_MASTER_KEY": os.environ["CHIBO_MASTER_KEY"],
        # and the province keyring they share, where the data keys are
        "CHIBO_KEYRING_DATABASE_URL": os.environ.get("CHIBO_KEYRING_DATABASE_URL", ""),
    }
    process = await asyncio.create_subprocess_exec(
        str(BIN / f"chibo-{service}"),
        "rebuild",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def test_own_read_models_come_back_row_for_row_while_the_services_run(trio: Trio) -> None:
    members = await a_year(trio, 4)
    r = trio.rating
    await r.caught_up()
    decisions = [{"subject_id": m, "level": "good"} for m in members]
    body = {"decisions": decisions, "decided_on": "2026-01-10"}
    await r.ok("POST", f"/v1/units/{BRANCH}/ratings/2025/decisions", json=body)
    urls = {
        "assignment": trio.assignment.runtime.settings.database_url,
        "attendance": trio.attendance.database_url,
        "rating": r.database_url,
    }
    specs = {"assignment": ASSIGNMENT, "attendance": ATTENDANCE, "rating": RATING}
    more = {"attendance": ROSTER_TABLES}  # consumed from assignment's stream
    before = {n: await dump(urls[n], spec, *more.get(n, ())) for n, spec in specs.items()}
    coverage = f"/v1/branches/{BRANCH}/plans/2025/coverage"
    coverage_before = (await trio.assignment.client.get(coverage)).json()
    assert all(before[n][t] for n, t in [("assignment", "members"), ("attendance", "meetings")])
    assert before["rating"]["decisions"]
    damaged = {
        "assignment": ["members"],
        "attendance": ["attendance_marks", "roster_roles"],
        "rating": ["decisions"],
    }
    for name, tables in damaged.items():
        pool = await create_pool(urls[name])
        for table in tables:
            await pool.execute(f"DELETE FROM {table}")
        await pool.close()

    for name in ("assignment", "attendance"):
        code, out, err = await cli(name, urls[name])
        assert code == 0, err
        assert f"{name} read models rebuilt by projection version 1" in out
        assert "events replayed" in err  # the progress bar
    # The running attendance service filled the roster's new generation and switched to it.
    assert "attendance-roster rebuilt: generation 2 is active" in out
    pool = await create_pool(urls["rating"])
    keyring_url = os.environ.get("CHIBO_KEYRING_DATABASE_URL")
    try:  # `chibo-rating rebuild` also asks the HTTP service: its CLI is tested on its own
        async with command_keyring(urls["rating"], keyring_url) as keyring:
            assert (await rebuild_own(pool, RATING, keyring=keyring)).events > 0
    finally:
        await pool.close()

    for name, spec in specs.items():
        assert await dump(urls[name], spec, *more.get(name, ())) == before[name], name
    # The running service reads the rebuilt tables and writes its next command into them.
    assert (await trio.assignment.client.get(coverage)).json() == coverage_before
    await register(trio.assignment, 99)
    after = await dump(urls["assignment"], ASSIGNMENT)
    assert len(after["members"]) == len(before["assignment"]["members"]) + 1
