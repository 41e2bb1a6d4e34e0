"""Faults of the three-node JetStream cluster while real commands flow: the stream leader
killed, two of three nodes down, every node restarted in turn. After each, every
acknowledged command is in its event store once, on its stream once (by Nats-Msg-Id), and
in the read models once; PostgreSQL is the truth and the relay waits out what NATS cannot
take."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nats
import pytest
from chaos.reconcile import Row
from chaos.scenario import Chaos
from nats.errors import Error as NatsError

from chibo_kernel.streams import StreamSpec, declare_stream
from chibo_tools.embedded import Stack
from chibo_tools.embedded.nats_cluster import ClusterNode, EmbeddedNatsCluster

from .conftest import ClusterSystem, summary

STREAM = "CHIBO_ASSIGNMENT"  # registrations travel from it to both read models
OUTAGE_EVENTS = 150  # events stored while two nodes are down, before they come back

Strike = Callable[[Chaos], list[str]]


@dataclass
class Outage:
    stored: int = 0  # assignment's public events stored while two nodes were down
    replica_before: int = 0  # the surviving replica of STREAM, when the others died
    replica_after: int = 0  # and when they came back


OUTAGE = Outage()


def cluster_of(chaos: Chaos) -> EmbeddedNatsCluster:
    assert isinstance(chaos.system, ClusterSystem)
    return chaos.system.cluster


def stored_events(chaos: Chaos) -> int:
    query = "SELECT count(*) FROM events WHERE NOT (metadata ? 'private')"
    return int(chaos.system.fetchval("assignment", query))


def replica_messages(node: ClusterNode) -> int:
    detail = node.stream_detail(STREAM)
    assert detail is not None, f"{node.name} holds no replica of {STREAM}"
    return int(detail["state"]["messages"])


def kill_the_stream_leader(chaos: Chaos) -> list[str]:
    cluster = cluster_of(chaos)
    leader = cluster.wait_for_stream_leader(STREAM)
    before = stored_events(chaos)
    began = time.monotonic()
    cluster.kill(leader)
    successor = cluster.wait_for_stream_leader(STREAM, not_on=leader)
    elected = time.monotonic() - began
    meanwhile = stored_events(chaos) - before
    cluster.bring_back(leader)
    return [
        f"{leader.name} killed",
        f"{successor.name} led after {elected:.1f}s, {meanwhile} events stored meanwhile",
    ]


def kill_two_nodes(chaos: Chaos) -> list[str]:
    """The stream leader and one follower: no quorum, so the stream takes nothing while
    the services keep storing; then both back."""
    cluster = cluster_of(chaos)
    leader = cluster.wait_for_stream_leader(STREAM)
    follower, survivor = [node for node in cluster.nodes if node is not leader]
    before = stored_events(chaos)
    began = time.monotonic()
    for node in (leader, follower):
        cluster.kill(node)
    OUTAGE.replica_before = replica_messages(survivor)
    chaos.system.eventually(
        lambda: stored_events(chaos) >= before + OUTAGE_EVENTS,
        timeout=60,
        what=f"{OUTAGE_EVENTS} events stored with two nodes down",
    )
    OUTAGE.stored = stored_events(chaos) - before
    OUTAGE.replica_after = replica_messages(survivor)
    down = time.monotonic() - began
    for node in (leader, follower):
        cluster.bring_back(node)
    return [
        f"{leader.name}, {follower.name} down {down:.1f}s",
        f"{OUTAGE.stored} events stored meanwhile, stream +"
        f"{OUTAGE.replica_after - OUTAGE.replica_before}",
    ]


def rolling_restart(chaos: Chaos) -> list[str]:
    """Each node stopped, started and caught up before the next: as an upgrade runs."""
    cluster = cluster_of(chaos)
    took = []
    for node in cluster.nodes:
        began = time.monotonic()
        cluster.bring_back(node)
        took.append(f"{time.monotonic() - began:.1f}")
    return [f"nodes back and current in {'/'.join(took)}s"]


EXPERIMENTS: list[tuple[str, Strike]] = [
    ("kill -9 stream leader, restart", kill_the_stream_leader),
    ("kill -9 two of three nodes", kill_two_nodes),
    ("rolling restart of all three", rolling_restart),
]


def test_every_service_declares_its_stream_with_three_replicas(cluster_chaos: Chaos) -> None:
    system = cluster_chaos.system
    assert system.nc is not None
    js = system.nc.jetstream()
    for service in system.services:
        info = system.run(js.stream_info(f"CHIBO_{service.upper()}"))
        assert info.config.num_replicas == 3
        assert info.cluster is not None
        assert info.cluster.leader is not None
        assert sorted(str(p.name) for p in info.cluster.replicas or []) == sorted(
            n.name for n in cluster_of(cluster_chaos).nodes if n.name != info.cluster.leader
        )


@pytest.mark.parametrize(("experiment", "strike"), EXPERIMENTS, ids=[e[0] for e in EXPERIMENTS])
def test_every_acknowledged_command_survives_the_cluster_fault_once(
    cluster_chaos: Chaos, cluster_rows: list[Row], experiment: str, strike: Strike
) -> None:
    row, _ = cluster_chaos.run(experiment, strike)
    cluster_rows.append(row)
    print("\n" + "\n".join(summary([row])))

    assert row.acknowledged > 0, row.notes
    assert (row.lost, row.duplicated, row.problems) == (0, 0, []), row.problems[:20]
    assert row.stored == row.streamed == row.projected == row.acknowledged
    if strike is kill_two_nodes:
        # Commands were accepted and stored while the stream could take nothing.
        assert OUTAGE.stored >= OUTAGE_EVENTS
        assert OUTAGE.replica_after == OUTAGE.replica_before


def test_the_stack_in_cluster_mode_signs_each_service_in_as_its_own_user(
    cluster_chaos: Chaos, tmp_path: Path
) -> None:
    """`chibo-stack up --cluster`'s stack: the services get every node's URL and three
    replicas; the nodes run deploy/nats/accounts.conf, so assignment declares its stream
    and publishes to it as its own user, and a client without a password is refused."""
    admin_url = cluster_chaos.system.admin_url
    with Stack(
        tmp_path / "stack", admin_url, services=["assignment"], nats_users=True, cluster=True
    ) as stack:
        env = stack.service_env("assignment")
        servers = env["CHIBO_NATS_URL"].split(",")
        assert stack.nats_cluster is not None
        assert servers == stack.nats_cluster.servers
        assert len(servers) == 3
        assert env["CHIBO_STREAM_REPLICAS"] == "3"
        assert len(stack.processes) == 3  # the nodes; PostgreSQL is the test's
        replicas = asyncio.run(
            _publish_as(servers, env["CHIBO_NATS_USER"], env["CHIBO_NATS_PASSWORD"])
        )
        with pytest.raises(NatsError, match="Authorization Violation"):
            asyncio.run(_connect_anonymously(servers))
    assert replicas == 3


async def _publish_as(servers: list[str], user: str, password: str) -> int:
    """Declares the stream as the service does, publishes once; the stream's replicas."""
    nc = await nats.connect(servers=servers, user=user, password=password)
    try:
        js = nc.jetstream()
        await declare_stream(js, StreamSpec(user, replicas=3))
        ack = await js.publish(
            f"chibo.{user}.probe", b"{}", headers={"Nats-Msg-Id": secrets.token_hex(8)}
        )
        assert ack.seq == 1
        info = await js.stream_info(ack.stream)
    finally:
        await nc.close()
    return info.config.num_replicas or 0


async def _connect_anonymously(servers: list[str]) -> None:
    nc = await nats.connect(servers=servers, allow_reconnect=False, max_reconnect_attempts=0)
    await nc.close()
