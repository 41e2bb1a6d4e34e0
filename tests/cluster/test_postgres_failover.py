"""The PostgreSQL primary's machine crashes under a steady load of real commands and its
synchronous standby is promoted: the services, given one multi-host URL for every database,
follow it without a restart. Every command acknowledged before the crash is in the promoted
server, every event on its stream once, every read model exact; commands met meanwhile are
answered 503 with Retry-After, never 500."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import pytest
from chaos.load import CLIENTS
from chaos.reconcile import Row
from chaos.scenario import Chaos
from sqlalchemy.engine import make_url

from chibo_chassis.settings import KernelSettings
from chibo_kernel.db import create_pool, sqlalchemy_url
from chibo_kernel.outages import DATABASE, outage_of
from chibo_tools.embedded.postgres_standby import failover_url

from .conftest import summary
from .failover import FailoverSystem, TimedLoad, crash, failover_chaos

# At about a hundred commands a second on two cores, a third of them before the crash and
# the rest sent through the failover and after it.
COMMANDS = 300
NOTICED_WITHIN = 30.0  # seconds for the load to meet the outage (503s) after the crash
# Promoted once every client has met the outage twice, on average: the services have then
# answered, more than once each, a URL whose primary is gone and whose standby is no
# primary yet.
REFUSALS_BEFORE_PROMOTION = 2 * CLIENTS
RELAY_LOCK = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
    "AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)"
)


@dataclass
class Failover:
    struck: float = 0.0
    killed: int = 0  # the postmaster and its children
    promoted_after: float = 0.0  # seconds from the crash until the standby took writes


FAILOVER = Failover()


@pytest.fixture(scope="module")
def failover(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chaos]:
    with failover_chaos(tmp_path_factory.mktemp("failover"), COMMANDS) as chaos:
        yield chaos


def system_of(chaos: Chaos) -> FailoverSystem:
    assert isinstance(chaos.system, FailoverSystem)
    return chaos.system


def crash_and_promote(chaos: Chaos) -> list[str]:
    """The primary's machine crashes; once the load has met the outage (as an operator or
    CloudNativePG would detect it: here, REFUSALS_BEFORE_PROMOTION answers 503), the
    standby is promoted."""
    system = system_of(chaos)
    load = TimedLoad.running[-1]
    refused_before = load.answered_503
    FAILOVER.struck = time.monotonic()
    FAILOVER.killed = crash(system.postgres)
    system.eventually(
        lambda: load.answered_503 >= refused_before + REFUSALS_BEFORE_PROMOTION,
        timeout=NOTICED_WITHIN,
        what=f"{REFUSALS_BEFORE_PROMOTION} commands answered 503 after the crash",
    )
    noticed = time.monotonic() - FAILOVER.struck
    took = system.standby.promote()
    FAILOVER.promoted_after = time.monotonic() - FAILOVER.struck
    system.reconnect()  # the test's own connections, to the promoted server
    return [
        f"{FAILOVER.killed} processes killed",
        f"{REFUSALS_BEFORE_PROMOTION} answered 503 within {noticed:.2f}s",
        f"promoted in {took:.2f}s, {FAILOVER.promoted_after:.2f}s after the crash",
    ]


def test_a_multi_host_url_is_taken_by_the_settings_and_by_sqlalchemy_for_migrations() -> None:
    url = "postgresql://svc@127.0.0.1:5001,127.0.0.1:5002/svc?target_session_attrs=read-write"
    settings = KernelSettings(database_url=url, keyring_database_url=url, nats_url="nats://n:1")
    parsed = make_url(sqlalchemy_url(settings.database_url))

    assert (parsed.host, parsed.username, parsed.database) == (None, "svc", "svc")
    assert parsed.query == {
        "host": ("127.0.0.1:5001", "127.0.0.1:5002"),
        "target_session_attrs": "read-write",
    }
    assert settings.keyring_url == url


def test_a_write_that_meets_a_standby_is_an_outage_not_a_defect(failover: Chaos) -> None:
    """Before the failover: no host of a read-write URL takes writes (only the standby
    named), or a session lands on the standby: both are outages, answered 503."""
    system = system_of(failover)
    url = system.services["assignment"].database_url

    async def attempts() -> list[BaseException]:
        found: list[BaseException] = []
        for target, statement in (
            (failover_url(url, [system.standby]), "SELECT 1"),
            (system.standby.admin_url("postgres"), "CREATE TABLE failover_probe (x int)"),
        ):
            pool = await create_pool(target, min_size=0, max_size=1, acquire_timeout=5)
            try:
                await pool.execute(statement)
            except Exception as exc:
                found.append(exc)
            finally:
                await pool.close()
        return found

    no_primary, read_only = system.run(attempts())

    assert isinstance(no_primary.__cause__, asyncpg.TargetServerAttributeNotMatched)
    assert isinstance(read_only, asyncpg.ReadOnlySQLTransactionError)
    assert [getattr(outage_of(e), "dependency", None) for e in (no_primary, read_only)] == [
        DATABASE,
        DATABASE,
    ]


def test_every_acknowledged_command_survives_the_primary_crash_and_promotion_once(
    failover: Chaos, cluster_rows: list[Row]
) -> None:
    system = system_of(failover)
    row, _ = failover.run("kill -9 postgres primary, promote", crash_and_promote)
    load = TimedLoad.running[-1]
    last_503 = load.timed.last_503 or FAILOVER.struck
    row.notes.append(
        f"the last 503 {last_503 - FAILOVER.struck:.2f}s after the crash, each with Retry-After"
    )
    cluster_rows.append(row)
    print("\n" + "\n".join(summary([row])))
    holders = {
        s: system.fetchval(s, RELAY_LOCK, f"chibo-relay:CHIBO_{s.upper()}") for s in system.services
    }
    on_promoted = {s: system.fetchval(s, "SELECT inet_server_port()") for s in system.services}

    assert row.acknowledged == len(load.outcomes) + 1, row.notes  # and the probe
    assert (row.lost, row.duplicated, row.problems) == (0, 0, []), row.problems[:20]
    assert row.stored == row.streamed == row.projected == row.acknowledged
    assert load.answered_503 > 0  # the switch was met, and answered as an outage
    assert load.server_errors == []  # no 500, no 503 without Retry-After
    assert system.restarts == {}  # no service was restarted to follow the new primary
    assert set(on_promoted.values()) == {system.standby.port}
    assert holders == dict.fromkeys(system.services, 1)  # each relay leads again there
