"""Two instances of each service on one database and one NATS, as a Deployment of two
replicas runs them: the chaos harness's system with a twin per service, its load sent through
an address per service that spreads requests over the ready instances as a Kubernetes Service
does, and which instance holds a lease (a session advisory lock), read from PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
from chaos.load import ANSWER_TIMEOUT, CLIENTS, Command, Load
from chaos.stack import ChaosSystem
from security.harness import BIN, RunningService, _migrate
from signin import AUTH_ENV

from chibo_kernel.keyring.schema import KEYRING_DATABASE_VARIABLE
from chibo_tools.embedded import EmbeddedPostgres, create_database, free_port
from chibo_tools.embedded.processes import ManagedProcess, wait_until_ready

TAGS = ("a", "b")

# Who holds a session advisory lock taken on `hashtextextended(key, 0)`: a bigint key is
# split into classid (high half) and objid (low half). Each instance names its connections
# (`application_name` in its database URL), so the holder's name is the instance's.
_HOLDER = """
SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)
"""


class TwinSystem(ChaosSystem):
    """ChaosSystem with instances `<service>-a` and `<service>-b` of each service; the
    harness's `services[name]` is instance a, whose connection the checks read through."""

    def __init__(
        self, root: Path, postgres: EmbeddedPostgres, env: Mapping[str, Mapping[str, str]]
    ) -> None:
        super().__init__(root, postgres)
        self.instances: dict[str, RunningService] = {}
        self.serving: set[str] = set()  # ready instances, as a Service's endpoints
        self._env = env  # per service, beside the harness's variables

    def _start(self, name: str) -> None:
        database = create_database(self.admin_url, f"twin_{name[:3]}_{uuid.uuid4().hex[:12]}")
        _migrate(name, database)
        pair = [self._spawn(name, database, tag) for tag in TAGS]
        for instance in pair:
            self.wait_ready(instance)
        pair[0].conn = self.loop.run(asyncpg.connect(database))
        self.services[name] = pair[0]

    def _spawn(self, name: str, database: str, tag: str) -> RunningService:
        port, upper, label = free_port(), name.upper(), f"{name}-{tag}"
        process = ManagedProcess(
            label,
            [BIN / f"chibo-{name}", "serve"],
            log_path=self.root / f"{label}.log",
            env={
                f"CHIBO_{upper}_DATABASE_URL": f"{database}?application_name={label}",
                f"CHIBO_{upper}_HTTP_PORT": str(port),
                "CHIBO_HTTP_HOST": "127.0.0.1",
                "CHIBO_NATS_URL": self.nats.url,
                KEYRING_DATABASE_VARIABLE: self.keyring_url,
                "CHIBO_LOG_LEVEL": self.log_level,
                **AUTH_ENV,
                **self._env.get(name, {}),
            },
        )
        instance = RunningService(label, database, port, process)
        process.start()
        self._stack.callback(process.stop)
        self.instances[label] = instance
        return instance

    def wait_ready(self, instance: RunningService) -> None:
        wait_until_ready(
            instance.process,
            lambda: self.ready(instance),
            timeout=90,
            what=f"{instance.name} /health/ready",
        )
        self.serving.add(instance.name)

    def twins_of(self, service: str) -> list[RunningService]:
        return [self.instances[f"{service}-{tag}"] for tag in TAGS]

    def other(self, instance: RunningService) -> RunningService:
        (found,) = [i for i in self.twins_of(instance.name[:-2]) if i is not instance]
        return found

    # leases
    def holder(self, service: str, key: str) -> RunningService | None:
        """The instance holding the session advisory lock `key` on the service's database."""
        name = self.fetchval(service, _HOLDER, key)
        return None if name is None else self.instances[str(name)]

    def relay_holder(self, service: str) -> RunningService | None:
        return self.holder(service, f"chibo-relay:CHIBO_{service.upper()}")

    # crashes
    def kill(self, instance: RunningService) -> float:
        """SIGKILL; the moment it was sent."""
        struck = time.monotonic()
        instance.process.kill()
        self.serving.discard(instance.name)
        return struck

    def restart(self, instances: list[RunningService]) -> None:
        """As a supervisor would: the same command, port and database, all at once."""
        for instance in instances:
            instance.process.stop()  # reaps what is left; sends nothing to a dead pid
            instance.process.start()
        for instance in instances:
            self.wait_ready(instance)

    # what an instance says of itself
    def metric(self, instance: RunningService, name: str) -> float | None:
        """A sample of the instance's /metrics (without labels); None if it cannot say."""
        try:
            text = self.http.get(f"{instance.base_url}/metrics", timeout=2).text
        except httpx.TransportError:
            return None
        for line in text.splitlines():
            if line.startswith(f"{name} "):
                return float(line.split()[1])
        return 0.0  # not sampled yet


class ServiceAddresses(httpx.AsyncBaseTransport):
    """A Service's address per service (`http://<service>`): each request, a retry too, goes
    to the next ready instance, as kube-proxy spreads new connections over the endpoints."""

    def __init__(self, system: TwinSystem, sent: Counter[str]) -> None:
        self._system, self._sent = system, sent
        self._turns = {s: itertools.cycle(system.twins_of(s)) for s in system.names}
        self._inner = httpx.AsyncHTTPTransport()

    def pick(self, service: str) -> RunningService:
        for _ in range(len(TAGS)):
            instance = next(self._turns[service])
            if instance.name in self._system.serving:
                return instance
        return instance  # none ready: refused, and the client retries until one is

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        instance = self.pick(request.url.host)
        self._sent[instance.name] += 1
        request.url = request.url.copy_with(host="127.0.0.1", port=instance.port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class BalancedLoad(Load):
    """The chaos runs' load, sent through each service's address rather than to one
    instance: commands reach both instances, and a retry reaches a live one."""

    def __init__(self, system: TwinSystem, commands: Sequence[Command]) -> None:
        super().__init__({s: f"http://{s}" for s in system.names}, commands)
        self._system = system
        self.sent: Counter[str] = Counter()  # requests handed to each instance

    async def _run(self) -> None:
        transport = ServiceAddresses(self._system, self.sent)
        timeout = httpx.Timeout(ANSWER_TIMEOUT, connect=2.0)
        async with httpx.AsyncClient(timeout=timeout, transport=transport) as http:
            await asyncio.gather(*(self._client(http) for _ in range(CLIENTS)))


@contextmanager
def twin_system(root: Path, env: Mapping[str, Mapping[str, str]]) -> Iterator[TwinSystem]:
    postgres = EmbeddedPostgres(root / "pg" / "data")
    postgres.start()
    try:
        system = TwinSystem(root, postgres, env)
        with system:
            yield system
    finally:
        postgres.stop()
