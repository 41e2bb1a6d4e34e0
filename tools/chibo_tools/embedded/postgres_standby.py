"""A streaming standby of an embedded PostgreSQL, synchronous, and its promotion: the
primary and standby pair that `chibo-stack up --cluster` and the failover experiment run.

The standby is made from the running primary with the same binaries (`pg_basebackup`, run
as `nobody` under root like the server), streams from it through a physical replication
slot, and is named in the primary's `synchronous_standby_names`: a commit returns only once
the standby has flushed it, so a promoted standby holds every acknowledged command.
Clients reach whichever of the two accepts writes through one multi-host URL
(`failover_url`: `host=P1,P2`, `target_session_attrs=read-write`).
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import asyncpg

from .ports import HOST
from .postgres import EmbeddedPostgres
from .processes import ManagedProcess, StartupError

STANDBY_NAME = "chibo_standby"  # its application_name, and the primary's slot for it
READ_WRITE = "read-write"


class EmbeddedStandby(EmbeddedPostgres):
    """A hot standby of `primary` in data_dir, on its own port. Where EmbeddedPostgres
    would run initdb, it copies the primary instead (once: later starts resume streaming
    through the slot); start() then makes the primary wait for it on every commit."""

    def __init__(self, primary: EmbeddedPostgres, data_dir: Path, port: int | None = None) -> None:
        super().__init__(data_dir, port, log_path=Path(data_dir).absolute().parent / "standby.log")
        self.primary = primary
        self.process.name = "postgres-standby"
        self.promoted = False

    def start(self, timeout: float = 60.0) -> None:
        super().start(timeout)
        if not self.promoted:  # once promoted, a primary: nothing to stream from
            _require_synchronous(self.primary.admin_url(), timeout)

    def promote(self, timeout: float = 60.0) -> float:
        """Ends recovery and waits until the server takes a write; the seconds it took.

        Promoted, it is a primary on its own: its own configuration names no synchronous
        standby (written at the copy, see `_write_standby_config`), so its commits do not
        wait forever for a standby that no longer exists. A new standby must be copied from
        it; the old primary must never come back as a primary (its timeline has ended)."""
        began = time.monotonic()
        url = self.admin_url()
        _run(lambda: _fetch(url, f"SELECT pg_promote(true, {int(timeout)})"), timeout + 5)
        deadline = began + timeout
        while not _takes_writes(url):
            if time.monotonic() > deadline:
                raise StartupError(f"the promoted standby took no write within {timeout:g}s")
            time.sleep(0.05)
        self.promoted = True
        return time.monotonic() - began

    def _initdb(self, timeout: float) -> None:
        """The primary's copy instead of a fresh cluster, then the standby's own settings."""
        _check_primary(self.primary.admin_url())
        basebackup = ManagedProcess(
            "pg_basebackup",
            [
                self._bin / "pg_basebackup",
                *("-D", self.data_dir, "-h", HOST, "-p", str(self.primary.port)),
                *("-U", "postgres", "-X", "stream", "--checkpoint=fast", "--no-sync"),
                *("--create-slot", "--slot", STANDBY_NAME),
            ],
            log_path=self.log_path,
            env={"LC_ALL": "C", "LANG": "C"},
            user=self.user,
        )
        basebackup.start()
        try:
            code = basebackup.wait(timeout)
        except BaseException:
            basebackup.kill()
            raise
        if code != 0:
            raise StartupError(f"pg_basebackup failed ({code}): {basebackup.log_tail()}")
        self._write_standby_config()

    def _write_standby_config(self) -> None:
        (self.data_dir / "standby.signal").touch()
        conninfo = (
            f"host={HOST} port={self.primary.port} user=postgres application_name={STANDBY_NAME}"
        )
        # The copy carries the primary's postgresql.auto.conf, which may already name this
        # standby as synchronous. A later line wins: once promoted, this server waits for
        # no standby (else every commit would hang on one that does not exist).
        lines = [
            f"primary_conninfo = '{conninfo}'",
            f"primary_slot_name = '{STANDBY_NAME}'",
            "synchronous_standby_names = ''",
        ]
        with open(self.data_dir / "postgresql.auto.conf", "a") as conf:
            conf.write("\n".join(lines) + "\n")
        if self.user is not None:  # root wrote them; the server's account must own them
            for name in ("standby.signal", "postgresql.auto.conf"):
                shutil.chown(self.data_dir / name, self.user)


def failover_url(url: str, servers: Sequence[EmbeddedPostgres]) -> str:
    """`url` (one host) over every server, to the one that takes writes:
    `postgresql://user@127.0.0.1:P1,127.0.0.1:P2/db?target_session_attrs=read-write`."""
    parts = urlsplit(url)
    userinfo, _, _ = parts.netloc.rpartition("@")
    hosts = ",".join(f"{HOST}:{server.port}" for server in servers)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "target_session_attrs"]
    query.append(("target_session_attrs", READ_WRITE))
    netloc = f"{userinfo}@{hosts}" if userinfo else hosts
    return f"{parts.scheme}://{netloc}{parts.path}?{urlencode(query)}"


def release_standby(primary_url: str) -> None:
    """The primary on its own again (a stack started without its standby): commits no
    longer wait for one, and its slot no longer holds WAL back."""

    async def work(conn: asyncpg.Connection) -> None:
        await conn.execute("ALTER SYSTEM RESET synchronous_standby_names")
        await conn.execute("SELECT pg_reload_conf()")
        await conn.execute(_DROP_SLOT, STANDBY_NAME)

    _run(lambda: _on(primary_url, work))


# --- the primary's side ------------------------------------------------------------------

_DROP_SLOT = (
    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
    "WHERE slot_name = $1 AND NOT active"
)
_SYNC_STATE = "SELECT sync_state FROM pg_stat_replication WHERE application_name = $1"


def _check_primary(url: str) -> None:
    """Replication possible (wal_level, senders, a pg_hba entry); a stale slot dropped."""

    async def work(conn: asyncpg.Connection) -> tuple[str, int, int, str]:
        await conn.execute(_DROP_SLOT, STANDBY_NAME)
        rules = "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)"
        return (
            str(await conn.fetchval("SHOW wal_level")),
            int(await conn.fetchval("SHOW max_wal_senders")),
            int(await conn.fetchval(rules)),
            str(await conn.fetchval("SHOW hba_file")),
        )

    level, senders, rules, hba = _run(lambda: _on(url, work))
    if level == "minimal" or senders < 2:
        raise StartupError(f"the primary cannot stream (wal_level {level}, senders {senders})")
    if not rules:  # initdb writes `host replication all 127.0.0.1/32 trust`; gone here
        with open(hba, "a") as conf:
            conf.write(f"host replication postgres {HOST}/32 trust\n")
        _run(lambda: _fetch(url, "SELECT pg_reload_conf()"))


def _require_synchronous(url: str, timeout: float) -> None:
    """Name the standby in the primary's synchronous_standby_names, reload, and wait until
    the primary reports it streaming as its synchronous standby."""

    async def work(conn: asyncpg.Connection) -> None:
        await conn.execute(f"ALTER SYSTEM SET synchronous_standby_names = '{STANDBY_NAME}'")
        await conn.execute("SELECT pg_reload_conf()")

    _run(lambda: _on(url, work))
    deadline = time.monotonic() + timeout
    while _sync_state(url) != "sync":
        if time.monotonic() > deadline:
            raise StartupError(f"the standby was not synchronous within {timeout:g}s")
        time.sleep(0.05)


def _sync_state(url: str) -> str | None:
    try:
        state = _run(lambda: _fetch(url, _SYNC_STATE, STANDBY_NAME))
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return None
    return None if state is None else str(state)


def _takes_writes(url: str) -> bool:
    try:
        return _run(lambda: _fetch(url, "SELECT pg_current_xact_id()")) is not None
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return False  # still in recovery: "cannot assign TransactionIds during recovery"


async def _fetch(url: str, query: str, *args: Any) -> Any:
    async def work(conn: asyncpg.Connection) -> Any:
        return await conn.fetchval(query, *args)

    return await _on(url, work)


async def _on(url: str, work: Any) -> Any:
    conn = await asyncpg.connect(url, timeout=10)
    try:
        return await work(conn)
    finally:
        await conn.close()


def _run(make: Any, timeout: float = 60.0) -> Any:
    """A coroutine on a private loop in a worker thread: callers may run a loop already."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chibo-pg-standby") as pool:
        return pool.submit(asyncio.run, make()).result(timeout)
