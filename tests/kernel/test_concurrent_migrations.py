"""Pods started together each run `migrate` (an init container per pod): on a fresh
database every run must succeed and the schema be applied once. Separate processes, as
in production (Alembic's context is process-global)."""

from __future__ import annotations

import subprocess
import sys

import asyncpg

SCRIPT = "import sys; from chibo_kernel.migrations import upgrade; upgrade(sys.argv[1])"


async def test_four_migrations_at_once_all_succeed(fresh_database: str) -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, fresh_database], stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    results = [(run.wait(timeout=120), run.stderr.read() if run.stderr else "") for run in runs]
    assert [code for code, _ in results] == [0] * 4, [err[-1500:] for _, err in results]
    conn = await asyncpg.connect(fresh_database)
    try:
        assert len(await conn.fetch("SELECT version_num FROM alembic_version")) == 1
        assert await conn.fetchval("SELECT count(*) FROM events") == 0
    finally:
        await conn.close()
