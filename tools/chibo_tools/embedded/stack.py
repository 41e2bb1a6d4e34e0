"""NATS + Postgres for development and tests, with one database and role per service, and
the province's keyring database (`chibo_keyring`) that every service keeps its data keys in.

With nats_users (what `./chibo up` asks for) the embedded nats-server runs the accounts of
deploy/nats/accounts.conf: every service signs in as its own user and may publish only its
own subjects; other systems read as `subscriber`; an anonymous client is refused. The
passwords are random per start. The stack also makes the services' sign-in secret. In
cluster mode (three NATS nodes) PostgreSQL gets a synchronous standby, and every database
URL names both servers, so the services follow a promoted standby (stack_servers).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from .master_key import VARIABLE as MASTER_KEY_VARIABLE
from .master_key import stack_master_key
from .nats import EmbeddedNats
from .nats_cluster import EmbeddedNatsCluster
from .postgres import EmbeddedPostgres, service_role
from .postgres_admin import ensure_service_databases
from .postgres_standby import EmbeddedStandby
from .processes import ManagedProcess
from .signin import new_secret
from .stack_servers import NATS_USERS as NATS_USERS
from .stack_servers import (
    SECRETS_FILE,
    check_nats_users,
    nats_password_variable,
    reachable_urls,
    signin_env,
    start_nats,
    start_standby,
    write_secrets,
)

DEFAULT_SERVICES = ("assignment", "attendance", "rating")
KEYRING = "keyring"  # its database and role: chibo_keyring, shared by every service
_T = TypeVar("_T")


class Stack:
    """Starts whatever is not given from outside: NATS unless nats_url, Postgres unless
    database_url (an admin URL). Either way every service gets its database and role.

    root holds the server state; by default a fresh temp dir, removed again by stop().
    """

    def __init__(
        self,
        root: Path | None = None,
        database_url: str | None = None,
        nats_url: str | None = None,
        services: Iterable[str] = DEFAULT_SERVICES,
        sync_always: bool = False,
        *,
        nats_users: bool = False,
        ports: Mapping[str, int] | None = None,  # "nats", "nats-monitor", "postgres"
        cluster: bool = False,  # three NATS nodes, R3 streams; PostgreSQL with its standby
    ) -> None:
        self.services = tuple(services)
        self.ports = dict(ports or {})
        for service in self.services:
            service_role(service)  # validate early, before anything starts
        self.nats_users = nats_users and nats_url is None  # an external NATS is the operator's
        if self.nats_users:
            check_nats_users(self.services)
        self.sync_always = sync_always
        self.cluster = cluster and nats_url is None
        self.nats: EmbeddedNats | None = None
        self.nats_cluster: EmbeddedNatsCluster | None = None  # instead of nats, with cluster
        self.postgres: EmbeddedPostgres | None = None
        self.postgres_standby: EmbeddedStandby | None = None  # with cluster, an own server
        self.startup_seconds: float | None = None
        self._root_arg = Path(root).absolute() if root is not None else None
        self._root: Path | None = None
        self._external_database_url = database_url
        self._external_nats_url = nats_url
        self._service_urls: dict[str, str] = {}
        self._nats_passwords: dict[str, str] = {}
        self._auth_secret: str | None = None
        self.web_session_secret = ""  # signs the web app's session cookies
        self.master_key, self.master_key_source = "", ""
        self._started = False

    # --- lifecycle ------------------------------------------------------------------

    def start(self) -> Self:
        if self._started:
            raise RuntimeError("stack already started")
        began = time.monotonic()
        if self._root_arg is None:
            self._root = Path(tempfile.mkdtemp(prefix="chibo-stack-"))
        else:
            self._root = self._root_arg
            self._root.mkdir(parents=True, exist_ok=True)
        self._started = True
        # Registered after processes.stop_all, so it runs before it: a stack that nobody
        # stopped still shuts down in order and removes its temp dir.
        atexit.register(self.stop)
        try:
            self._auth_secret, self.web_session_secret = new_secret(), new_secret()
            self.master_key, self.master_key_source = stack_master_key(self._root)
            # Stores opened in this process (tests, benchmarks) read it from there too.
            os.environ.setdefault(MASTER_KEY_VARIABLE, self.master_key)
            if self.nats_users:
                self._nats_passwords = {user: new_secret() for user in NATS_USERS}
            nats_env = {nats_password_variable(u): p for u, p in self._nats_passwords.items()}
            write_secrets(self, nats_env)
            if self._external_database_url is None:
                # First: it finds binaries its account can run, or says what to do, at once.
                self.postgres = EmbeddedPostgres(
                    self._root / "pg" / "data", self.ports.get("postgres")
                )
            if self.cluster or self._external_nats_url is None:
                self.nats, self.nats_cluster = start_nats(self, nats_env)
            if self.postgres is not None:
                self.postgres.start()
                self.postgres_standby = start_standby(self.postgres, self._root, self.cluster)
            # With the keyring database, which every service keeps its data keys in.
            urls = ensure_service_databases(self.admin_database_url, (*self.services, KEYRING))
            self._service_urls = reachable_urls(urls, [self.postgres, self.postgres_standby])
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        """Stop what we started and remove the temp root. Idempotent."""
        if not self._started:
            return
        atexit.unregister(self.stop)
        try:
            for server in (self.postgres, self.postgres_standby, self.nats, self.nats_cluster):
                if server is not None:
                    server.stop()
        finally:
            if self._root_arg is None and self._root is not None:
                shutil.rmtree(self._root, ignore_errors=True)
            self._started = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- addresses --------------------------------------------------------------------

    @property
    def root(self) -> Path:
        return self._require(self._root, "root")

    @property
    def nats_url(self) -> str:
        if self._external_nats_url is not None:
            return self._external_nats_url
        if self.cluster:
            return self._require(self.nats_cluster, "nats_url").urls
        return self._require(self.nats, "nats_url").url

    @property
    def admin_database_url(self) -> str:
        if self._external_database_url is not None:
            return self._external_database_url
        return self._require(self.postgres, "admin_database_url").admin_url()

    def service_database_url(self, service: str) -> str:
        if not self._started:
            raise RuntimeError("Stack.service_database_url needs a started stack")
        try:
            return self._service_urls[service]
        except KeyError:
            raise KeyError(f"unknown service {service!r}; stack has {self.services}") from None

    def env(self) -> dict[str, str]:
        """CHIBO_NATS_URL (every node's, comma-separated, on a cluster, with
        CHIBO_STREAM_REPLICAS=3), CHIBO_KEYRING_DATABASE_URL, CHIBO_<SERVICE>_DATABASE_URL."""
        variables = {
            "CHIBO_NATS_URL": self.nats_url,
            "CHIBO_KEYRING_DATABASE_URL": self.service_database_url(KEYRING),
        }
        if self.cluster:
            variables["CHIBO_STREAM_REPLICAS"] = "3"
        for service in self.services:
            name = service.upper().replace("-", "_")
            variables[f"CHIBO_{name}_DATABASE_URL"] = self.service_database_url(service)
        return variables

    def service_env(self, service: str) -> dict[str, str]:
        """Everything one service needs from the stack: env(), its NATS user and password
        (when the stack knows them) and the sign-in settings."""
        variables = self.env()
        credentials = self.nats_credentials(service)
        if credentials is not None:
            variables["CHIBO_NATS_USER"], variables["CHIBO_NATS_PASSWORD"] = credentials
        variables.update(signin_env(self))
        return variables

    def nats_credentials(self, user: str) -> tuple[str, str] | None:
        """(user, password) for a user of deploy/nats/accounts.conf. On the embedded NATS
        with nats_users the stack made the password; on an external NATS the operator
        gives it as NATS_<USER>_PASSWORD (the names of .env.example). None: no sign-in."""
        if not self._started:
            raise RuntimeError("Stack.nats_credentials needs a started stack")
        if self._external_nats_url is None:
            password = self._nats_passwords.get(user)
        else:
            password = os.environ.get(nats_password_variable(user)) or None
        return (user, password) if password is not None else None

    @property
    def auth_secret(self) -> str:
        """The HS256 secret every service verifies tokens with (CHIBO_AUTH_SHARED_SECRET)."""
        return self._require(self._auth_secret, "auth_secret")

    @property
    def secrets_path(self) -> Path:
        """The stack's secrets as shell assignments, mode 0600, rewritten at every start."""
        return self.root / SECRETS_FILE

    @property
    def processes(self) -> list[ManagedProcess]:
        """The server processes this stack runs (none for external servers)."""
        nodes = self.nats_cluster.nodes if self.nats_cluster is not None else []
        servers = (self.nats, *nodes, self.postgres, self.postgres_standby)
        return [s.process for s in servers if s is not None]

    # --- internals --------------------------------------------------------------------

    def _require(self, value: _T | None, what: str) -> _T:
        if value is None or not self._started:
            raise RuntimeError(f"Stack.{what} is only available while the stack is started")
        return value
