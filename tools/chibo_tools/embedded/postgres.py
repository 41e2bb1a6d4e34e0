"""A real PostgreSQL 16 (the binaries shipped in the pgserver wheel) on 127.0.0.1.

Postgres refuses to run as root, so under root initdb and the server run as `nobody`, from
wherever that account can reach the binaries (pg_binaries).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import stat
import tempfile
from pathlib import Path

from .pg_binaries import postgres_bin_dir, runnable_bin_dir
from .ports import HOST, free_port
from .postgres_admin import answers, create_database, ensure_service_database, service_role
from .processes import ManagedProcess, StartupError, wait_until_ready

__all__ = [
    "EmbeddedPostgres",
    "answers",
    "create_database",
    "ensure_service_database",
    "postgres_bin_dir",
    "service_role",
]

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
        # Resolved here, before anything starts: a checkout nobody can reach fails at once.
        self._bin = runnable_bin_dir(self.user)
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
