"""A real PostgreSQL 16 (the binaries shipped in the pgserver wheel) on 127.0.0.1.

Postgres refuses to run as root, so under root initdb and the server run as `nobody`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import pwd
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

from .ports import HOST, free_port
from .processes import ManagedProcess, StartupError, wait_until_ready

UNPRIVILEGED_USER = "nobody"

# Runtime settings for a test box. fsync (and synchronous_commit) stay on: benchmarks run
# against this server and must pay the real cost of durability.
SETTINGS: dict[str, str] = {
    "max_connections": "200",
    "shared_buffers": "128MB",
    "fsync": "on",
    "synchronous_commit": "on",
    "logging_collector": "off",  # everything goes to stderr, i.e. our log file
}

# Deterministic messages and no dependency on locales installed on the box.
_ENV = {"LC_ALL": "C", "LANG": "C"}
_SUN_PATH_MAX = 107  # Unix socket paths are limited to 108 bytes including the NUL


def postgres_bin_dir() -> Path:
    """bin/ of the PostgreSQL build inside the pgserver package.

    Located without importing pgserver, whose import creates lock files and warns about
    XDG_RUNTIME_DIR as a side effect.
    """
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the pgserver package (bundled PostgreSQL) is not installed")
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (bin_dir / "postgres").is_file():
        raise FileNotFoundError(f"no postgres binary in {bin_dir}")
    return bin_dir


class EmbeddedPostgres:
    """A Postgres cluster in data_dir, initialised on first start.

    The log (postgres.log) and the Unix socket dir (run/) go next to data_dir, because
    initdb wants data_dir itself empty. The port is fixed for the lifetime of the object,
    so start() after stop()/kill() serves the same URLs.
    """

    def __init__(
        self, data_dir: Path, port: int | None = None, *, log_path: Path | None = None
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.port = port if port is not None else free_port()
        self.log_path = log_path or self.data_dir.parent / "postgres.log"
        self.user = UNPRIVILEGED_USER if os.geteuid() == 0 else None
        self.socket_dir = self.data_dir.parent / "run"
        self._own_socket_dir = len(f"{self.socket_dir}/.s.PGSQL.{self.port}.lock") > _SUN_PATH_MAX
        if self._own_socket_dir:
            self.socket_dir = Path(tempfile.mkdtemp(prefix="chibo-pg-", dir="/tmp"))
        self._bin = postgres_bin_dir()
        self.process = ManagedProcess(
            "postgres",
            [
                self._bin / "postgres",
                *("-D", self.data_dir, "-h", HOST, "-p", str(self.port), "-k", self.socket_dir),
                *(arg for key, value in SETTINGS.items() for arg in ("-c", f"{key}={value}")),
            ],
            log_path=self.log_path,
            env=_ENV,
            user=self.user,
            stop_signal=signal.SIGINT,  # "fast" shutdown: abort sessions, checkpoint, exit
            death_signal=signal.SIGQUIT,  # "immediate" shutdown; the postmaster reaps backends
        )

    @property
    def pid(self) -> int | None:
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process.running

    def admin_url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/{db}"

    def start(self, timeout: float = 60.0) -> None:
        self._prepare_dirs()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb(timeout)
        self.process.start()
        url = self.admin_url()
        wait_until_ready(
            self.process,
            lambda: answers(url),
            timeout=timeout,
            what="accepting connections",
        )

    def stop(self, timeout: float = 30.0) -> None:
        self.process.stop(timeout)
        self._remove_own_socket_dir()

    def kill(self) -> None:
        """Crash-like stop: no checkpoint, WAL recovery on the next start.

        SIGQUIT rather than SIGKILL: a SIGKILLed postmaster leaves backends behind whose
        shared memory blocks the next start until they notice and exit.
        """
        self.process.stop(timeout=10, sig=signal.SIGQUIT)
        self._remove_own_socket_dir()

    def create_database(self, name: str, owner: str | None = None) -> str:
        return create_database(self.admin_url(), name, owner)

    def ensure_service_database(self, service: str) -> str:
        return ensure_service_database(self.admin_url(), service)

    def _remove_own_socket_dir(self) -> None:
        if self._own_socket_dir and not self.running:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    def _initdb(self, timeout: float) -> None:
        initdb = ManagedProcess(
            "initdb",
            [
                self._bin / "initdb",
                *("-D", self.data_dir, "-U", "postgres", "--auth=trust"),
                *("--encoding=UTF8", "--locale=C", "--no-instructions"),
                # Skips fsyncing the fresh cluster: only an OS crash in the next seconds
                # could hurt, and a test cluster is then simply re-created.
                "--no-sync",
            ],
            log_path=self.log_path,
            env=_ENV,
            user=self.user,
        )
        initdb.start()
        try:
            code = initdb.wait(timeout)
        except BaseException:
            initdb.kill()
            raise
        if code != 0:
            raise StartupError(
                f"initdb failed with code {code}; log {self.log_path}:\n{initdb.log_tail()}"
            )

    def _prepare_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.socket_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not (self.data_dir / "PG_VERSION").exists() and any(self.data_dir.iterdir()):
            raise StartupError(f"{self.data_dir} is neither empty nor a Postgres data directory")
        if self.user is None:
            return
        account = pwd.getpwnam(self.user)
        for directory in (self.data_dir, self.socket_dir):
            _make_traversable(directory, self.user)
            if directory.stat().st_uid != account.pw_uid:
                _chown_tree(directory, account.pw_uid, account.pw_gid)


def _make_traversable(path: Path, user: str) -> None:
    """Let `user` reach path: it needs search (x) permission on every ancestor.

    Temp dirs (mkdtemp, pytest's tmp_path) are 0700, so inside the temp dir we add o+x
    (search only, listing stays private). Elsewhere we refuse to loosen permissions.
    """
    temp_root = Path(tempfile.gettempdir()).resolve()
    for ancestor in path.resolve().parents:
        mode = ancestor.stat().st_mode
        if mode & stat.S_IXOTH:
            continue
        if temp_root not in ancestor.parents:
            raise StartupError(
                f"postgres runs as {user!r} (we are root) and cannot reach {path}: "
                f"{ancestor} is not searchable by others (mode {stat.filemode(mode)}). "
                f"Use a directory under {temp_root}, or `chmod o+x {ancestor}`."
            )
        os.chmod(ancestor, stat.S_IMODE(mode) | stat.S_IXOTH)


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in (*dirnames, *filenames):
            os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)


# --- administration over SQL (also used against external servers) ---------------------

_T = TypeVar("_T")
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def service_role(service: str) -> str:
    """Role and database name of a service: chibo_<service>, dashes as underscores."""
    return _identifier(f"chibo_{service.replace('-', '_')}")


def answers(url: str, timeout: float = 2.0) -> bool:
    """True if the server at url accepts a connection and answers SELECT 1."""

    async def probe() -> bool:
        try:
            conn = await asyncpg.connect(_plain(url), timeout=timeout)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return False  # refused, or "the database system is starting up"
        try:
            return bool(await conn.fetchval("SELECT 1") == 1)
        finally:
            await conn.close()

    return _run(probe)


def create_database(
    admin_url: str, name: str, owner: str | None = None, *, password: str | None = None
) -> str:
    """Create database `name` (and LOGIN role `owner`) unless they exist; return its URL.

    The URL connects as `owner` (with `password`, if given), or with the admin URL's
    credentials when there is no owner.
    """
    return _create_database(admin_url, name, owner, password=password, private=False)


def ensure_service_database(admin_url: str, service: str, *, password: str | None = None) -> str:
    """Idempotently create role and database chibo_<service>, owned by that role.

    Other roles lose CONNECT on it (database per service); superusers keep access.
    """
    role = service_role(service)
    return _create_database(admin_url, role, role, password=password, private=True)


def _create_database(
    admin_url: str, name: str, owner: str | None, *, password: str | None, private: bool
) -> str:
    database = _identifier(name)
    role = _identifier(owner) if owner is not None else None

    async def work(conn: Any) -> None:
        if role is not None:
            await _ensure_role(conn, role, password)
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
            owner_clause = f" OWNER {_quote(role)}" if role is not None else ""
            # Someone may create it concurrently: same outcome, so not an error.
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f"CREATE DATABASE {_quote(database)}{owner_clause}")
        if private:
            await conn.execute(f"REVOKE CONNECT ON DATABASE {_quote(database)} FROM PUBLIC")

    _run(lambda: _with_connection(admin_url, work))
    if role is None:
        return _with_database(admin_url, database)
    return _with_database(admin_url, database, user=role, password=password)


async def _ensure_role(conn: Any, role: str, password: str | None) -> None:
    # Postgres has no CREATE ROLE IF NOT EXISTS.
    password_clause = f" PASSWORD {_literal(password)}" if password is not None else ""
    if await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role):
        if password is not None:
            await conn.execute(f"ALTER ROLE {_quote(role)} LOGIN{password_clause}")
        return
    with contextlib.suppress(asyncpg.DuplicateObjectError):
        await conn.execute(f"CREATE ROLE {_quote(role)} LOGIN{password_clause}")


async def _with_connection(url: str, work: Callable[[Any], Awaitable[None]]) -> None:
    conn = await asyncpg.connect(_plain(url), timeout=10)
    try:
        await work(conn)
    finally:
        await conn.close()


def _run(make_coroutine: Callable[[], Awaitable[_T]]) -> _T:
    """Run a coroutine on a private event loop in a worker thread.

    Works whether or not the calling thread already runs a loop (pytest-asyncio, services).
    """

    async def main() -> _T:
        return await make_coroutine()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chibo-pg-admin") as pool:
        return pool.submit(asyncio.run, main()).result()


def _identifier(name: str) -> str:
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} is not a simple lower-case SQL identifier (a-z, 0-9, _)")
    return name


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _plain(url: str) -> str:
    """asyncpg only accepts postgresql://; drop a SQLAlchemy driver suffix like +asyncpg."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+", 1)[0]))


def _with_database(
    url: str, database: str, *, user: str | None = None, password: str | None = None
) -> str:
    """url pointing at another database, optionally with other credentials."""
    parts = urlsplit(_plain(url))
    userinfo, _, hostport = parts.netloc.rpartition("@")
    if user is not None:
        userinfo = quote(user, safe="")
        if password is not None:
            userinfo += ":" + quote(password, safe="")
    netloc = f"{userinfo}@{hostport}" if userinfo else hostport
    return urlunsplit(parts._replace(netloc=netloc, path="/" + quote(database, safe="")))
