"""Three nats-server processes on loopback routed into one JetStream cluster, as a province
runs them (deploy/nats/helm-values.yaml), for the tests and `chibo-stack up --cluster`.

Every node keeps its own store dir and fsyncs before it acknowledges (`sync_interval:
always`); streams declared with three replicas (CHIBO_STREAM_REPLICAS=3) survive one node
lost and stop accepting while two are. Ports and names stay fixed for the lifetime of the
object, so a node killed or stopped comes back as the same raft peer with its data.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .nats import EmbeddedNats
from .ports import HOST, free_port
from .processes import StartupError

# The monitors are on loopback: no HTTP(S)_PROXY from the environment.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))

CLUSTER_NAME = "chibo-embedded"


class ClusterNode(EmbeddedNats):
    """One member of the cluster: EmbeddedNats with a cluster block and a stable name."""

    def __init__(
        self,
        store_dir: Path,
        name: str,
        *,
        include: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        super().__init__(store_dir, sync_always=True, include=include, env=env)
        self.name = name
        self.cluster_port = free_port()
        self.routes: list[int] = []  # every node's cluster port, this one's included

    def __repr__(self) -> str:
        return f"<ClusterNode {self.name} pid={self.pid} running={self.running}>"

    def _config(self) -> str:
        # The single server's config (listen, monitor, JetStream, accounts), renamed and
        # routed; nats-server ignores the route to itself.
        single = super()._config().replace(f"chibo-embedded-{self.port}", self.name)
        routes = ", ".join(f'"nats-route://{HOST}:{port}"' for port in self.routes)
        return (
            f"{single}cluster {{\n"
            f'  name: "{CLUSTER_NAME}"\n'
            f'  listen: "{HOST}:{self.cluster_port}"\n'
            f"  routes: [{routes}]\n"
            "}\n"
        )

    def monitor(self, path: str) -> dict[str, Any]:
        """The monitor's JSON answer at path (e.g. `/jsz`)."""
        with _http.open(f"{self.monitor_url}{path}", timeout=2) as resp:
            answer: dict[str, Any] = json.load(resp)
            return answer

    def stream_detail(self, stream: str) -> dict[str, Any] | None:
        """This node's replica of the stream as its monitor reports it (state, cluster),
        or None when it holds none or does not answer."""
        try:
            jsz = self.monitor("/jsz?accounts=true&streams=true")
        except (OSError, ValueError):
            return None
        for account in jsz.get("account_details") or []:
            for detail in account.get("stream_detail") or []:
                if detail.get("name") == stream:
                    return dict(detail)
        return None

    def healthy(self) -> bool:
        """`/healthz`: JetStream is current here, and so is every stream and consumer the
        node holds a replica of."""
        try:
            with _http.open(f"{self.monitor_url}/healthz", timeout=2) as resp:
                return bool(resp.status == 200)
        except OSError:  # refused, or 503 while catching up
            return False


class EmbeddedNatsCluster:
    """`size` clustered nats-servers under root/node-<n>; users and permissions from
    `include` (deploy/nats/accounts.conf, passwords from `env`) when given."""

    def __init__(
        self,
        root: Path,
        size: int = 3,
        *,
        include: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if size < 1:
            raise ValueError("a cluster needs at least one node")
        self.root = Path(root).absolute()
        self.nodes = [
            ClusterNode(
                self.root / f"node-{n}",
                f"chibo-node-{n}",
                include=include,
                env=dict(env) if env is not None else None,
            )
            for n in range(1, size + 1)
        ]
        for node in self.nodes:
            node.routes = [other.cluster_port for other in self.nodes]

    @property
    def urls(self) -> str:
        """Every node's client URL, comma-separated, as CHIBO_NATS_URL takes them."""
        return ",".join(self.servers)

    @property
    def servers(self) -> list[str]:
        return [node.url for node in self.nodes]

    @property
    def running(self) -> list[ClusterNode]:
        return [node for node in self.nodes if node.running]

    def node(self, name: str) -> ClusterNode:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"no node {name!r} in {[n.name for n in self.nodes]}")

    # --- lifecycle ------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> None:
        """Every node, then until they have elected a meta leader and are all current."""
        try:
            for node in self.nodes:
                node.start(timeout)
            self.wait_until_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        for node in reversed(self.nodes):
            node.stop(timeout)

    def kill(self, node: ClusterNode) -> None:
        """SIGKILL of one node: no shutdown work, no goodbye to its peers."""
        node.kill()

    def bring_back(self, node: ClusterNode, timeout: float = 60.0) -> None:
        """The same node (name, ports, store dir) again, once it has caught up."""
        node.stop()  # reaps a killed node; a running one stops gracefully first
        node.start(timeout)
        self.wait_until_healthy(timeout)

    # --- what the cluster says --------------------------------------------------------

    def meta_leader(self) -> str | None:
        """The meta leader every running node agrees on, or None."""
        leaders = set()
        for node in self.running:
            try:
                meta = node.monitor("/jsz").get("meta_cluster") or {}
            except (OSError, ValueError):
                return None
            leaders.add(meta.get("leader") or "")
        return leaders.pop() if len(leaders) == 1 and "" not in leaders else None

    def stream_leader(self, stream: str) -> ClusterNode | None:
        """The running node that leads the stream's raft group by its own account (a
        follower may still name a leader that has died)."""
        for node in self.running:
            leader = ((node.stream_detail(stream) or {}).get("cluster") or {}).get("leader")
            if leader == node.name:
                return node
        return None

    def wait_until_healthy(self, timeout: float = 60.0) -> None:
        """Every running node reports a meta leader and is current (its /healthz), so a
        node brought back has caught up before the next is touched."""
        deadline = time.monotonic() + timeout
        while not (self.meta_leader() and all(node.healthy() for node in self.running)):
            dead = [n for n in self.nodes if n.process.returncode not in (None, 0, -9, -15)]
            if dead:
                raise StartupError(f"{dead[0].name} exited: {dead[0].process.log_tail()}")
            if time.monotonic() > deadline:
                states = {n.name: n.healthy() for n in self.running}
                raise StartupError(
                    f"the NATS cluster was not healthy within {timeout:g}s "
                    f"(meta leader {self.meta_leader()!r}, current {states})"
                )
            time.sleep(0.05)

    def wait_for_stream_leader(
        self, stream: str, *, not_on: ClusterNode | None = None, timeout: float = 30.0
    ) -> ClusterNode:
        """The stream's leader, once there is one (and, with not_on, elsewhere than there)."""
        deadline = time.monotonic() + timeout
        while True:
            leader = self.stream_leader(stream)
            if leader is not None and leader is not not_on:
                return leader
            if time.monotonic() > deadline:
                raise TimeoutError(f"no leader for {stream} within {timeout:g}s (was {not_on})")
            time.sleep(0.05)


__all__ = ["CLUSTER_NAME", "ClusterNode", "EmbeddedNatsCluster"]
