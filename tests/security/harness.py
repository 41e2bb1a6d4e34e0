"""The services under attack, as real processes on 127.0.0.1 against a real PostgreSQL (a
database each, on the session's server) and a NATS of the test's own, plus what the hostile
runs need around them: a background event loop (hypothesis tests are synchronous; asyncpg
and nats-py are not), snapshots of each service's event store and read models, and the
check every answer must pass.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import nats
from nats.aio.client import Client as NATS
from signin import ADMIN, AUTH_ENV

from chibo_kernel.keyring.schema import KEYRING_DATABASE_VARIABLE, ensure_keyring_table
from chibo_tools.embedded import create_database
from chibo_tools.embedded.nats import EmbeddedNats
from chibo_tools.embedded.ports import free_port
from chibo_tools.embedded.processes import ManagedProcess, wait_until_ready
from rating.adapters.facts_schema import PREPARED_TABLES

T = TypeVar("T")
BIN = Path(sys.executable).parent
PROBLEM_JSON = "application/problem+json"

# Tables that are bookkeeping, not state a request may change: the relay's and the
# consumers' positions move on their own, and rejected messages land in parked_messages.
# Rating's prepared ratings are derived in the background, and a read derives what is
# stale under it: they move without any request writing state (the marks that drive them
# are written only with an accepted command or a projected event, which the event store
# and the facts tables show).
BOOKKEEPING = frozenset(
    {
        "alembic_version",
        "events",
        "relay_checkpoints",
        "consumer_positions",
        "consumer_stream_versions",
        "parked_messages",
        "consumed_read_models",
        "personal_data_reads",  # the harness's own reads (import progress) are logged there
        # A data key is made before the append it seals, in its own commit, so a command
        # refused by the store itself may leave one: key material for an id, no data.
        "data_keys",
        # An upload is answered with a job, and the job is recorded whatever its rows hold;
        # that the rows changed nothing is what the other tables show.
        "import_jobs",
        *PREPARED_TABLES,
    }
)


# --- a background event loop ------------------------------------------------------------


class Loop:
    """An asyncio loop in a thread of its own: synchronous code runs coroutines on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


# --- state: what a rejected input must leave untouched -----------------------------------


@dataclass(frozen=True)
class State:
    events: int
    last_position: int
    tables: tuple[tuple[str, int, int], ...]  # (table, rows, content hash)

    def differences(self, other: State) -> list[str]:
        found = []
        if (self.events, self.last_position) != (other.events, other.last_position):
            found.append(
                f"events: {self.events} up to position {self.last_position} -> "
                f"{other.events} up to {other.last_position}"
            )
        mine, theirs = dict(_by_table(self.tables)), dict(_by_table(other.tables))
        for table in sorted(set(mine) | set(theirs)):
            if mine.get(table) != theirs.get(table):
                found.append(f"{table}: {mine.get(table)} -> {theirs.get(table)}")
        return found


def _by_table(rows: Sequence[tuple[str, int, int]]) -> Iterator[tuple[str, tuple[int, int]]]:
    for table, count, digest in rows:
        yield table, (count, digest)


_TABLES = """
SELECT table_schema, table_name FROM information_schema.tables
 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
 ORDER BY 1, 2
"""


async def read_state(conn: asyncpg.Connection) -> State:
    """The event store (count and last position) and every other table's rows and content:
    a read model changed in place shows as a changed content hash."""
    events, last = await conn.fetchrow("SELECT count(*), coalesce(max(position), 0) FROM events")
    tables = [
        (r["table_schema"], r["table_name"])
        for r in await conn.fetch(_TABLES)
        if r["table_name"] not in BOOKKEEPING
    ]
    rows: list[tuple[str, int, int]] = []
    if tables:
        query = " UNION ALL ".join(
            f"SELECT '{s}.{t}', count(*), coalesce(sum(hashtext(x::text)::bigint), 0) "
            f'FROM "{s}"."{t}" x'
            for s, t in tables
        )
        rows = [(r[0], int(r[1]), int(r[2])) for r in await conn.fetch(query)]
    return State(int(events), int(last), tuple(rows))


async def parked(conn: asyncpg.Connection) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT consumer, count(*) AS n FROM parked_messages WHERE replayed_at IS NULL "
        "GROUP BY consumer"
    )
    return {r["consumer"]: int(r["n"]) for r in rows}


# --- the services as processes -------------------------------------------------------------


@dataclass
class RunningService:
    name: str
    database_url: str
    port: int
    process: ManagedProcess
    conn: asyncpg.Connection | None = None  # on the System's loop
    log_offset: int = 0

    def new_errors(self) -> list[str]:
        """The unhandled errors the service logged since the last call, each as its exception
        and the innermost frame of chibo's own code."""
        path = self.process.log_path
        with open(path, "rb") as log:
            log.seek(self.log_offset)
            data = log.read()
            self.log_offset = log.tell()
        found = []
        for line in data.decode("utf-8", "replace").splitlines():
            if '"level": "error"' not in line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            found.append(_describe_error(entry))
        return found

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _describe_error(entry: Mapping[str, Any]) -> str:
    trace = str(entry.get("exception", ""))
    frames = [
        ln.strip()
        for ln in trace.splitlines()
        if ln.strip().startswith("File ") and ("/services/" in ln or "/shared/" in ln)
    ]
    last = trace.strip().splitlines()[-2:] if trace else []
    where = frames[-1] if frames else ""
    return f"{entry.get('event')}: {entry.get('error')} | {' '.join(last)} | {where}"


def _migrate(service: str, database_url: str) -> None:
    if service == "assignment":
        from assignment.migrations import upgrade
    elif service == "attendance":
        from attendance.migrations import upgrade
    else:
        from rating.migrations import upgrade
    upgrade(database_url)


class System:
    """NATS of its own, a fresh database per service, each service a real process."""

    log_level = "WARNING"  # a subclass that reads the logs for what they hold logs more

    def __init__(self, root: Path, admin_url: str, services: Sequence[str]) -> None:
        self.root = root
        self.admin_url = admin_url
        self.names = list(services)
        # The province's one keyring database: the test's, when it set one, else its own.
        self.keyring_url = os.environ.get(KEYRING_DATABASE_VARIABLE) or ""
        self.services: dict[str, RunningService] = {}
        self.loop = Loop()
        self.nats = EmbeddedNats(root / "nats")
        self.nc: NATS | None = None
        self.http = httpx.Client(timeout=120, trust_env=False)
        self._stack = ExitStack()

    # lifecycle
    def __enter__(self) -> System:
        try:
            self.nats.start()
            self._stack.callback(self.nats.stop)
            if not self.keyring_url:
                database = f"sec_keys_{uuid.uuid4().hex[:12]}"
                self.keyring_url = create_database(self.admin_url, database)
            self.loop.run(ensure_keyring_table(self.keyring_url))
            for name in self.names:
                self._start(name)
            self.nc = self.loop.run(nats.connect(self.nats.url))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_: object) -> None:
        if self.nc is not None:
            self.loop.run(self.nc.close())
        for service in self.services.values():
            if service.conn is not None:
                self.loop.run(service.conn.close())
        self._stack.close()  # processes in reverse start order, then NATS
        self.http.close()
        self.loop.close()

    def _start(self, name: str) -> None:
        database = create_database(self.admin_url, f"sec_{name[:3]}_{uuid.uuid4().hex[:12]}")
        _migrate(name, database)
        port = free_port()
        upper = name.upper()
        process = ManagedProcess(
            name,
            [BIN / f"chibo-{name}", "serve"],
            log_path=self.root / f"{name}.log",
            env={
                f"CHIBO_{upper}_DATABASE_URL": database,
                f"CHIBO_{upper}_HTTP_PORT": str(port),
                "CHIBO_HTTP_HOST": "127.0.0.1",
                "CHIBO_NATS_URL": self.nats.url,
                KEYRING_DATABASE_VARIABLE: self.keyring_url,
                "CHIBO_LOG_LEVEL": self.log_level,
                **AUTH_ENV,
            },
        )
        service = RunningService(name, database, port, process)
        process.start()
        self._stack.callback(process.stop)
        wait_until_ready(
            process, lambda: self.ready(service), timeout=90, what=f"{name} /health/ready"
        )
        service.conn = self.loop.run(asyncpg.connect(database))
        self.services[name] = service

    # probes
    def ready(self, service: RunningService) -> bool:
        try:
            return self.http.get(f"{service.base_url}/health/ready").status_code == 200
        except httpx.TransportError:
            return False

    def healthy(self, name: str) -> list[str]:
        """What is wrong with a service's process, if anything."""
        service = self.services[name]
        if not service.process.running:
            return [
                f"{name} exited with {service.process.returncode}: {service.process.log_tail()}"
            ]
        if not self.ready(service):
            return [f"{name} is not ready"]
        return []

    def state(self, name: str) -> State:
        conn = self.services[name].conn
        assert conn is not None
        return self.loop.run(read_state(conn))

    def parked(self, name: str) -> dict[str, int]:
        conn = self.services[name].conn
        assert conn is not None
        return self.loop.run(parked(conn))

    def fetchval(self, name: str, query: str, *args: Any) -> Any:
        conn = self.services[name].conn
        assert conn is not None
        return self.loop.run(conn.fetchval(query, *args))

    # HTTP as the province administrator, for seeding
    def ok(self, name: str, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**ADMIN, "Connection": "close", **kwargs.pop("headers", {})}
        url = self.services[name].base_url + path
        response = self.http.request(method, url, headers=headers, **kwargs)
        assert response.status_code < 300, (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        return response.json()

    def eventually(
        self, condition: Callable[[], bool], *, timeout: float = 60, what: str = "condition"
    ) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            time.sleep(0.05)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
        return self.loop.run(coroutine, timeout)

    # JetStream
    def consumer_idle(self, stream: str, consumer: str) -> bool:
        assert self.nc is not None
        info = self.run(self.nc.jetstream().consumer_info(stream, consumer))
        return bool(info.num_pending == 0 and info.num_ack_pending == 0)

    def published_everything(self, name: str) -> bool:
        """The service's relay has put on its stream every public event it stored."""
        assert self.nc is not None
        stored = self.fetchval(name, "SELECT count(*) FROM events WHERE NOT (metadata ? 'private')")
        info = self.run(self.nc.jetstream().stream_info(f"CHIBO_{name.upper()}"))
        return bool(info.state.messages == stored)


# --- the check every answer must pass -------------------------------------------------------


def answer_problems(response: httpx.Response | Any) -> list[str]:
    """Why an answer is not acceptable: any 5xx; a 4xx that is not problem+json with an
    English and a Vietnamese detail."""
    status = int(response.status_code)
    if status >= 500:
        try:
            code = json.loads(response.content).get("code")
        except (ValueError, AttributeError):
            code = response.text[:200]
        return [f"{status} {code}"]
    if status < 400:
        return []
    found = []
    kind = content_type(response)
    if not kind.startswith(PROBLEM_JSON):
        found.append(f"{status} answered as {kind!r}, not {PROBLEM_JSON}")
    try:
        body = json.loads(response.content)
    except ValueError:
        return [*found, f"{status} body is not JSON: {response.text[:200]!r}"]
    if not isinstance(body, dict):
        return [*found, f"{status} body is not an object: {response.text[:200]!r}"]
    for key in ("detail", "detail_vi"):
        value = body.get(key)
        if not isinstance(value, str) or not value.strip():
            found.append(f"{status} problem has no {key}: {response.text[:300]!r}")
    return found


def content_type(response: httpx.Response | Any) -> str:
    """The Content-Type of an httpx answer, or of a Schemathesis one (headers as lists)."""
    for key, value in response.headers.items():
        if key.lower() == "content-type":
            return str(value[0] if isinstance(value, list) else value)
    return ""


def untranslated(response: httpx.Response | Any) -> bool:
    """A 4xx whose Vietnamese detail is the English one: not a failure of the contract (both
    are there) but worth reporting."""
    if not 400 <= int(response.status_code) < 500:
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("detail") == body.get("detail_vi")


@dataclass
class Finding:
    """One kind of failure: where, what, how often, and the first input that showed it."""

    where: str
    what: str
    count: int
    reproduce: str
    cause: str = ""  # from the service's log, for a 5xx

    def __str__(self) -> str:
        text = f"{self.where}: {self.what} (x{self.count})\n        reproduce: {self.reproduce}"
        if self.cause:
            text += f"\n        cause: {self.cause}"
        return text


@dataclass
class Tally:
    """What a hostile run tried and found."""

    service: str
    tried: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    by_mode: Counter[str] = field(default_factory=Counter)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    untranslated: Counter[str] = field(default_factory=Counter)
    not_sent: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)  # worth reporting, not failures
    started: float = field(default_factory=time.monotonic)

    def record(self, mode: str, status: int) -> None:
        self.tried += 1
        self.by_mode[mode] += 1
        self.statuses[status] += 1

    def fail(self, where: str, what: str, reproduce: str, cause: str = "") -> None:
        key = (where, what.split(":", 1)[0] + cause.split("|", 1)[0])
        found = self.findings.get(key)
        if found is None:
            self.findings[key] = Finding(where, what, 1, reproduce, cause)
        else:
            found.count += 1

    @property
    def failures(self) -> list[str]:
        return [str(f) for f in self.findings.values()]

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self, title: str) -> str:
        histogram = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        modes = ", ".join(f"{m}: {n}" for m, n in sorted(self.by_mode.items()))
        lines = [
            f"[{title}] {self.service}: {self.tried} inputs in {self.seconds:.1f}s; "
            f"5xx: {self.server_errors}; kinds of failure: {len(self.findings)}",
            f"    statuses: {histogram}",
            f"    modes: {modes}",
        ]
        if self.untranslated:
            top = ", ".join(f"{k} x{n}" for k, n in self.untranslated.most_common(5))
            lines.append(f"    4xx with detail_vi == detail (untranslated): {top}")
        if self.not_sent:
            lines.append(f"    not sent: {dict(self.not_sent)}")
        lines.extend(f"    FAILURE {f}" for f in self.findings.values())
        return "\n".join(lines)


def check_answer(
    tally: Tally,
    mode: str,
    where: str,
    response: httpx.Response | Any,
    before: State,
    after: Callable[[], State],
    reproduce: Callable[[], str],
    errors: Callable[[], list[str]],
) -> State:
    """Record one answer and check it; the state the next request starts from."""
    status = int(response.status_code)
    tally.record(mode, status)
    problems = answer_problems(response)
    if untranslated(response):
        try:
            code = str(json.loads(response.content).get("code"))
        except ValueError:
            code = "?"
        tally.untranslated[f"{status} {code} ({where})"] += 1
    now = after()
    if status >= 400:
        changed = before.differences(now)
        if changed:
            problems.append(f"rejected ({status}) yet state changed: {changed}")
    if problems:
        causes = errors() if status >= 500 else []
        for problem in problems:
            tally.fail(where, problem, reproduce(), causes[-1] if causes else "")
    return now
