"""The chaos harness on a PostgreSQL primary and its synchronous standby: every database (the
services' and the keyring) reached through one multi-host URL that finds whichever server
takes writes, the crash of the primary's machine, and a load that keeps the time of each
503 it was answered."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar
from unittest import mock

from chaos import scenario
from chaos.load import Load
from chaos.scenario import UNITS, Chaos
from chaos.stack import ChaosSystem

from chibo_tools.embedded import EmbeddedPostgres, create_database
from chibo_tools.embedded.postgres_standby import EmbeddedStandby, failover_url

RETRY_AFTER = "503"


class FailoverSystem(ChaosSystem):
    """ChaosSystem whose databases live on a primary and its synchronous standby, every
    URL naming both (`target_session_attrs=read-write`): the services, their migrations,
    the keyring and the test's own connections all follow the primary to the standby."""

    def __init__(self, root: Path, primary: EmbeddedPostgres, standby: EmbeddedStandby) -> None:
        super().__init__(root, primary)
        self.standby = standby
        self.admin_url = failover_url(primary.admin_url(), [primary, standby])
        # Not the session's keyring: the province's keys live in this cluster too.
        self.keyring_url = create_database(self.admin_url, f"fo_keys_{uuid.uuid4().hex[:8]}")


def crash(server: EmbeddedPostgres) -> int:
    """The primary's machine gone at once: the postmaster and every process it forked,
    frozen first (so none does more work while the others die, and the postmaster forks
    no new one) and then killed; how many processes died.

    Killing the postmaster alone is not a crash: its backends live on until each notices,
    keeping their sessions (the services' pooled connections, a relay's advisory lock) and
    answering on them, and with the walsender alive too their commits would still reach
    the standby. The services would stay on the old primary and the promoted standby
    would take writes beside it: two primaries, which no machine crash produces."""
    pid = server.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    children = _children(pid)
    for child in children:
        os.kill(child, signal.SIGSTOP)
    for victim in (pid, *children):
        os.kill(victim, signal.SIGKILL)
    server.process.kill()  # reaps the postmaster, our child
    return 1 + len(children)


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # pid (comm) state ppid …; comm may hold spaces, so read after its ')'.
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if ppid == parent:
            found.append(int(entry))
    return found


class _TimedRetries(Counter[str]):
    """The load's count of why a command was sent again, keeping when the first and last
    503 were counted."""

    first_503: float | None = None
    last_503: float | None = None

    def __setitem__(self, key: str, value: int) -> None:
        if key == RETRY_AFTER:
            now = time.monotonic()
            self.first_503 = self.first_503 or now
            self.last_503 = now
        super().__setitem__(key, value)


class TimedLoad(Load):
    """The harness's load, kept where the strike and the test can read it."""

    running: ClassVar[list[TimedLoad]] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.retries = _TimedRetries()
        TimedLoad.running.append(self)

    @property
    def answered_503(self) -> int:
        return self.retries[RETRY_AFTER]

    @property
    def timed(self) -> _TimedRetries:
        assert isinstance(self.retries, _TimedRetries)
        return self.retries


@contextmanager
def failover_chaos(root: Path, commands: int) -> Iterator[Chaos]:
    """A primary, its synchronous standby, NATS and the three services on both, with the
    chaos runs' organisation units; the harness's runs send `commands` with a TimedLoad."""
    primary = EmbeddedPostgres(root / "pg" / "data")
    standby = EmbeddedStandby(primary, root / "standby" / "data")
    primary.start()
    try:
        standby.start()
        system = FailoverSystem(root, primary, standby)
        with (
            mock.patch.object(scenario, "Load", TimedLoad),
            mock.patch.object(scenario, "COMMANDS_PER_FAULT", commands),
            system,
        ):
            chaos = Chaos(system)
            for unit in UNITS:
                chaos.create_unit(*unit)
            yield chaos
    finally:
        standby.stop()
        primary.stop()
