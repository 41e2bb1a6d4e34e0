"""The chaos harness on a three-node JetStream cluster: the services as real processes,
given every node's URL and streams of three replicas, and the summary table each
experiment fills, printed at the end of the test output."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import nats
import pytest
from chaos import reconcile, scenario
from chaos.observed import stream_ids
from chaos.reconcile import Row
from chaos.scenario import UNITS, Chaos
from chaos.stack import ChaosSystem
from nats.js.errors import ServiceUnavailableError

from chibo_kernel.keyring.schema import ensure_keyring_table
from chibo_tools.embedded import EmbeddedNats, EmbeddedPostgres, create_database
from chibo_tools.embedded.nats_cluster import EmbeddedNatsCluster

REPLICATED = {"CHIBO_STREAM_REPLICAS": "3"}
# Four times the chaos runs' load: at about a hundred commands a second on two cores it
# then lasts through a leader's election and a rolling restart.
COMMANDS_PER_EXPERIMENT = 600
ROWS: list[Row] = []


class _EveryNode(EmbeddedNats):
    """What the harness reads of its NATS when it starts a service: the URL, here every
    node's, comma-separated (CHIBO_NATS_URL)."""

    def __init__(self, cluster: EmbeddedNatsCluster) -> None:
        super().__init__(cluster.root / "unused")
        self.cluster = cluster

    @property
    def url(self) -> str:
        return self.cluster.urls


class ClusterSystem(ChaosSystem):
    """ChaosSystem whose NATS is a three-node cluster, every service on all three nodes and
    declaring its stream with three replicas."""

    def __init__(self, root: Path, postgres: EmbeddedPostgres) -> None:
        super().__init__(root, postgres)
        self.cluster = EmbeddedNatsCluster(root / "nats-cluster")
        self.nats = _EveryNode(self.cluster)

    def __enter__(self) -> ClusterSystem:
        try:
            self.cluster.start()
            self._stack.callback(self.cluster.stop)
            if not self.keyring_url:
                self.keyring_url = create_database(self.admin_url, "cluster_keys")
            self.loop.run(ensure_keyring_table(self.keyring_url))
            for name in self.names:
                self._start(name)
            # The test's own reads follow the cluster too, however long a node is away.
            connect = nats.connect(servers=self.cluster.servers, max_reconnect_attempts=-1)
            self.nc = self.loop.run(connect)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self, name: str) -> None:
        with mock.patch.dict(os.environ, REPLICATED):
            super()._start(name)
        process = self.services[name].process  # and so when the harness starts it again
        process.env = {**(process.env or {}), **REPLICATED}


async def _patient_stream_ids(system: ChaosSystem, service: str) -> Counter[str]:
    """The reconciliation's read of a whole stream, asked again when its pull meets no
    responders: on a cluster a new ephemeral consumer's interest may not yet have crossed
    the routes to the node the test is connected to."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return await stream_ids(system, service)
        except ServiceUnavailableError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


@pytest.fixture(scope="module")
def cluster_chaos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chaos]:
    """PostgreSQL, the three-node cluster and the three services, with the chaos runs'
    organisation units entered."""
    root = tmp_path_factory.mktemp("cluster")
    patient = mock.patch.object(reconcile, "stream_ids", _patient_stream_ids)
    longer = mock.patch.object(scenario, "COMMANDS_PER_FAULT", COMMANDS_PER_EXPERIMENT)
    postgres = EmbeddedPostgres(root / "pg" / "data")
    postgres.start()
    try:
        with patient, longer, ClusterSystem(root, postgres) as system:
            chaos = Chaos(system)
            for unit in UNITS:
                chaos.create_unit(*unit)
            yield chaos
    finally:
        postgres.stop()


@pytest.fixture
def cluster_rows() -> list[Row]:
    return ROWS


def summary(rows: list[Row]) -> list[str]:
    head = (
        f"{'experiment':<34} {'ack':>5} {'stored':>6} {'streamed':>8} {'projected':>9} "
        f"{'lost':>4} {'dup':>4} {'recovery s':>10}  notes"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.fault:<34} {r.acknowledged:>5} {r.stored:>6} {r.streamed:>8} "
            f"{r.projected:>9} {r.lost:>4} {r.duplicated:>4} {r.recovery:>10.1f}  "
            + "; ".join(r.notes)
        )
        lines.extend(f"    ! {p}" for p in r.problems[:5])
    return lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not ROWS:
        return
    terminalreporter.section("cluster: acknowledged commands after each experiment")
    for line in summary(ROWS):
        terminalreporter.write_line(line)
