"""Two instances of the assignment service on one PostgreSQL, as a Deployment of two
replicas behind a load balancer runs them (in this process, each with its own pool, relay
and app): a member export uploaded to one is followed on the other, its progress while it
runs and its report once done; an instance stopped half-way leaves its job to read as
interrupted on the other, the members it wrote kept, and the same file uploaded again
imports the rest."""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from kernel.support import eventually

from .conftest import Service, running_service
from .test_member_import_http import build_branches, export_with_bad_rows, import_file

STALE_SECONDS = 3  # heartbeat every 0.75 s: short, so that a stopped instance shows soon


async def instance(stack: AsyncExitStack, database: str, nats: str) -> Service:
    return await stack.enter_async_context(
        running_service(database, nats, import_job_stale_seconds=STALE_SECONDS)
    )


async def uploaded(client: httpx.AsyncClient, path: Path) -> str:
    started = await client.post(
        "/v1/imports/members", params={"filename": path.name}, content=path.read_bytes()
    )
    assert started.status_code == 202, started.text
    return f"/v1/imports/{started.json()['job_id']}"


async def progress_seen(client: httpx.AsyncClient, job_url: str) -> dict[str, Any]:
    """The job as the client reads it once it is running with members written."""
    seen: dict[str, Any] = {}

    async def written() -> bool:
        answer = await client.get(job_url)
        assert answer.status_code == 200, answer.text
        seen.update(answer.json())
        return bool(seen["status"] != "running" or seen["processed"] > 0)

    await eventually(written, timeout=120, what="members written, seen on the other instance")
    return seen


async def test_an_import_uploaded_to_one_instance_is_followed_on_the_other(
    fresh_database: str, service_nats: str, tmp_path: Path
) -> None:
    async with AsyncExitStack() as stack:
        one = await instance(stack, fresh_database, service_nats)
        two = await instance(stack, fresh_database, service_nats)
        await build_branches(one.client)
        bad = export_with_bad_rows(tmp_path / "dang-vien.xlsx")
        job_url = await uploaded(one.client, tmp_path / "dang-vien.xlsx")

        running = await progress_seen(two.client, job_url)
        assert running["status"] == "running", running
        assert 0 < running["processed"] < running["to_write"] == 4980
        assert running["errors"] == []

        done: dict[str, Any] = {}

        async def ended() -> bool:
            done.update((await two.client.get(job_url)).json())
            return bool(done["status"] != "running")

        await eventually(ended, timeout=120, what="the job's end, seen on the other instance")
        assert done["status"] == "done", done
        assert (done["rows"], done["imported"], done["unchanged"]) == (5000, 4980, 0)
        assert done["processed"] == done["to_write"] == 4980
        assert {e["line"]: e["field"] for e in done["errors"]} == bad
        assert (await one.client.get(job_url)).json() == done


async def test_a_job_whose_instance_stopped_reads_as_interrupted_and_can_be_run_again(
    fresh_database: str, service_nats: str, tmp_path: Path
) -> None:
    async with AsyncExitStack() as stack:
        two = await instance(stack, fresh_database, service_nats)
        path = tmp_path / "dang-vien.xlsx"
        export_with_bad_rows(path)
        async with AsyncExitStack() as first:
            one = await instance(first, fresh_database, service_nats)
            await build_branches(one.client)
            job_url = await uploaded(one.client, path)
            running = await progress_seen(two.client, job_url)
            assert running["status"] == "running", running
        # Instance one is gone: its pool closed, its job can write nothing more.
        interrupted: dict[str, Any] = {}

        async def silent() -> bool:
            interrupted.update((await two.client.get(job_url)).json())
            return bool(interrupted["status"] != "running")

        await eventually(silent, timeout=30, what="the job read as interrupted")
        assert interrupted["status"] == "interrupted", interrupted
        written = interrupted["processed"]
        assert 0 < written < 4980
        assert f"({written}/4980) stay" in interrupted["failure"]
        assert f"({written}/4980) vẫn được giữ" in interrupted["failure_vi"]
        pool = two.runtime.pool
        kept = await pool.fetchval("SELECT count(*) FROM members")
        assert kept >= written  # a chunk may have been stored after its last heartbeat

        again = await import_file(two.client, path)

        assert again["status"] == "done", again
        assert (again["imported"] + again["unchanged"], again["unchanged"]) == (4980, kept)
        assert await pool.fetchval("SELECT count(*) FROM members") == 4980
