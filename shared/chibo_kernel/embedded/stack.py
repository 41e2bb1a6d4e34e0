"""NATS + Postgres for development and tests, with one database and role per service."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar
from urllib.parse import urlsplit

from .nats import EmbeddedNats
from .postgres import EmbeddedPostgres, ensure_service_database, service_role
from .processes import ManagedProcess

DEFAULT_SERVICES = ("assignment", "attendance", "rating")

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
    ) -> None:
        self.services = tuple(services)
        for service in self.services:
            service_role(service)  # validate early, before anything starts
        self.sync_always = sync_always
        self.nats: EmbeddedNats | None = None
        self.postgres: EmbeddedPostgres | None = None
        self.startup_seconds: float | None = None
        self._root_arg = Path(root).absolute() if root is not None else None
        self._root: Path | None = None
        self._external_database_url = database_url
        self._external_nats_url = nats_url
        self._service_urls: dict[str, str] = {}
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
            if self._external_nats_url is None:
                self.nats = EmbeddedNats(self._root / "nats", sync_always=self.sync_always)
                self.nats.start()
            if self._external_database_url is None:
                self.postgres = EmbeddedPostgres(self._root / "pg" / "data")
                self.postgres.start()
            self._create_service_databases()
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
            for server in (self.postgres, self.nats):
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
        """CHIBO_NATS_URL and CHIBO_<SERVICE>_DATABASE_URL for every service."""
        variables = {"CHIBO_NATS_URL": self.nats_url}
        for service in self.services:
            name = service.upper().replace("-", "_")
            variables[f"CHIBO_{name}_DATABASE_URL"] = self.service_database_url(service)
        return variables

    @property
    def processes(self) -> list[ManagedProcess]:
        """The server processes this stack runs (none for external servers)."""
        return [s.process for s in (self.nats, self.postgres) if s is not None]

    # --- internals --------------------------------------------------------------------

    def _create_service_databases(self) -> None:
        admin_url = self.admin_database_url
        # An external server with password auth needs passwords for the service roles too;
        # a well-known one (the role name) is fine for a development server.
        with_password = urlsplit(admin_url).password is not None

        def ensure(service: str) -> str:
            password = service_role(service) if with_password else None
            return ensure_service_database(admin_url, service, password=password)

        # Concurrently: each CREATE DATABASE waits on its own WAL fsync (~0.2 s apiece).
        with ThreadPoolExecutor(max_workers=max(1, len(self.services))) as pool:
            self._service_urls = dict(
                zip(self.services, pool.map(ensure, self.services), strict=True)
            )

    def _require(self, value: _T | None, what: str) -> _T:
        if value is None or not self._started:
            raise RuntimeError(f"Stack.{what} is only available while the stack is started")
        return value
