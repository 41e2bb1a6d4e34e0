"""The whole system for the chaos runs: a PostgreSQL and a NATS of its own (so that killing
them harms no other test), the three services as real processes on them (the security
harness's System), and the crashes: kill -9 of a service, of nats-server, of the
PostgreSQL postmaster, each brought back on the same port and data."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from security.harness import System

from chibo_tools.embedded import EmbeddedPostgres, StartupError
from chibo_tools.embedded.processes import wait_until_ready

SERVICES = ("assignment", "attendance", "rating")


class ChaosSystem(System):
    """System whose dependencies and services can be killed and brought back."""

    def __init__(self, root: Path, postgres: EmbeddedPostgres) -> None:
        super().__init__(root, postgres.admin_url(), SERVICES)
        self.postgres = postgres
        self.restarts: dict[str, int] = {}

    # --- crashes ---------------------------------------------------------------------

    def kill_service(self, name: str) -> None:
        """SIGKILL, then the same command on the same port and database, as a supervisor
        would."""
        process = self.services[name].process
        process.kill()
        self.start_again(name)

    def start_again(self, name: str) -> None:
        service = self.services[name]
        service.process.stop()  # reaps what is left; sends nothing to a dead pid
        service.process.start()
        self.restarts[name] = self.restarts.get(name, 0) + 1
        wait_until_ready(
            service.process, lambda: self.ready(service), timeout=90, what=f"{name} ready again"
        )

    def revive_dead_services(self) -> list[str]:
        """Services that died without being killed by the test: started again, and named."""
        dead = [n for n, s in self.services.items() if not s.process.running]
        for name in dead:
            self.start_again(name)
        return dead

    def kill_nats(self) -> None:
        """SIGKILL of nats-server, then the same server on the same port and store dir."""
        self.nats.kill()
        self.nats.start()

    def kill_postgres(self) -> None:
        """SIGKILL of the postmaster (not the SIGQUIT of EmbeddedPostgres.kill): the
        backends it leaves notice and exit, and until they have the next start fails on
        their shared memory, so it is tried again."""
        pid = self.postgres.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        self.postgres.process.wait(30)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.postgres.start(timeout=30)
                break
            except StartupError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)  # the orphaned backends are still leaving
        self.reconnect()

    def reconnect(self) -> None:
        """The test's own connections, after the server they were on went away."""
        for service in self.services.values():
            if service.conn is not None and not service.conn.is_closed():
                self.loop.run(_close_quietly(service.conn))
            service.conn = self.loop.run(asyncpg.connect(service.database_url))

    def connections_alive(self) -> bool:
        try:
            for service in self.services.values():
                assert service.conn is not None
                self.loop.run(service.conn.fetchval("SELECT 1"), timeout=5)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, AssertionError):
            return False
        return True


async def _close_quietly(conn: asyncpg.Connection) -> None:
    try:
        await conn.close(timeout=2)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
        conn.terminate()


@contextmanager
def chaos_system(root: Path) -> Iterator[ChaosSystem]:
    postgres = EmbeddedPostgres(root / "pg" / "data")
    postgres.start()
    try:
        system = ChaosSystem(root, postgres)
        with system:
            yield system
    finally:
        postgres.stop()
