"""The toy service as a process on a PostgreSQL of its own, which a test may stop, restart,
freeze (SIGSTOP) and thaw, with the service's JSON log lines to read back."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signin import AUTH_ENV

from chibo_kernel.migrations import upgrade_async
from chibo_tools.embedded.ports import free_port
from chibo_tools.embedded.postgres import EmbeddedPostgres
from chibo_tools.embedded.processes import ManagedProcess, wait_until_ready

HERE = Path(__file__).parent

# Short deadlines, so that the test waits seconds: the defaults are 5, 5 and 10 s.
DEADLINES = {
    "CHIBO_DB_CONNECT_TIMEOUT_SECONDS": "1",
    "CHIBO_DB_ACQUIRE_TIMEOUT_SECONDS": "1.5",
    "CHIBO_DB_STATEMENT_TIMEOUT_SECONDS": "1",
    "CHIBO_DB_POOL_SIZE": "4",
}
# The longest a command may take to be answered while the database is away: the client's
# statement deadline (statement timeout + 1 s) or the acquire deadline, plus slack for a
# loaded test machine.
ANSWER_WITHIN_SECONDS = 4.0


@dataclass
class OutageHarness:
    postgres: EmbeddedPostgres
    service: ManagedProcess
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log_lines(self, since: int = 0) -> list[dict[str, Any]]:
        """The service's JSON log lines written after byte offset `since`."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
        lines = []
        for line in text.splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines

    def freeze(self) -> list[int]:
        """SIGSTOP the postmaster and its backends (ours, by pid): connections stay open
        and nothing answers, as on a hung host."""
        pids = [self._postmaster(), *self._backends()]
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    def thaw(self, pids: list[int]) -> None:
        for pid in reversed(pids):
            os.kill(pid, signal.SIGCONT)

    def _postmaster(self) -> int:
        pid = self.postgres.pid
        assert pid is not None
        assert self.postgres.running
        return pid

    def _backends(self) -> list[int]:
        pid = self._postmaster()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]


async def start_harness(root: Path, nats_url: str, service: str) -> OutageHarness:
    postgres = EmbeddedPostgres(root / "pg" / "data")
    await asyncio.to_thread(postgres.start)
    try:
        database_url = await asyncio.to_thread(postgres.create_database, "outages")
        await upgrade_async(database_url)
        port = free_port()
        log_path = root / "toy.log"
        process = ManagedProcess(
            "toy",
            [sys.executable, str(HERE / "toy_service.py"), service, str(port)],
            log_path=log_path,
            env={
                "CHIBO_DATABASE_URL": database_url,
                "CHIBO_NATS_URL": nats_url,
                **AUTH_ENV,
                **DEADLINES,
            },
        )
        process.start()
        harness = OutageHarness(postgres, process, port, log_path)
        await asyncio.to_thread(
            wait_until_ready, process, lambda: _ready(harness.url), timeout=60, what="ready"
        )
    except BaseException:
        await asyncio.to_thread(postgres.stop)
        raise
    return harness


def stop_harness(harness: OutageHarness) -> None:
    harness.service.stop(20)
    harness.postgres.stop()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health/ready", timeout=3) as response:
            return bool(response.status == 200)
    except OSError:
        return False
