"""Faults against the running system while commands flow: after each, every acknowledged
command is in its event store once, on its stream once, and in the read models once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest

from chibo_contracts import assignment as a
from chibo_kernel.envelope import binary_headers
from chibo_kernel.subjects import checked_event_subject

from .observed import durables, facts_schema
from .reconcile import STRAY_IDS, Row
from .scenario import Chaos

Strike = Callable[[Chaos], list[str]]


def kill_service(name: str) -> Strike:
    def strike(chaos: Chaos) -> list[str]:
        chaos.system.kill_service(name)
        return [f"{name} restarted by the test"]

    return strike


def kill_nats(chaos: Chaos) -> list[str]:
    chaos.system.kill_nats()
    return ["same port and store dir"]


def kill_postgres(chaos: Chaos) -> list[str]:
    chaos.system.kill_postgres()
    return ["same port and data dir"]


def delete_consumers(chaos: Chaos) -> list[str]:
    """The roster's durable consumer and rating's consumer of assignment's stream."""
    system = chaos.system
    assert system.nc is not None
    js = system.nc.jetstream()
    names = [
        d.name
        for d in system.run(durables(system))
        if d.stream == "CHIBO_ASSIGNMENT"
        and (d.name == "attendance-roster-v1" or d.name.startswith("rating"))
    ]
    assert "attendance-roster-v1" in names, names
    for name in names:
        system.run(js.delete_consumer("CHIBO_ASSIGNMENT", name))
    return ["deleted " + ", ".join(names)]


STRAYS: list[str] = []  # member ids that only a stray message ever named


def publish_stray(chaos: Chaos) -> list[str]:
    """A well-formed registration published straight onto assignment's stream, with a
    Nats-Msg-Id the event store does not hold."""
    system = chaos.system
    assert system.nc is not None
    member = f"stray-{uuid.uuid4().hex[:8]}"
    event = a.MemberRegistered(
        member_id=member,
        full_name="Người lạ",
        branch_id="CH-01",
        admission_date=date(2010, 5, 19),
        status="full",
    )
    event_id = str(uuid.uuid4())
    stream_id = f"member-{member}"
    headers = binary_headers(
        event_id=event_id,
        source="/chibo/assignment",
        event_type=event.event_type,
        time="2026-12-06T07:00:00+00:00",
        subject=stream_id,
        stream_version="1",
        correlation_id=event_id,
        causation_id=None,
    )
    subject = checked_event_subject(event.event_type, stream_id, ["LC", "VB", "VL", "CH-01"])
    body = event.model_dump_json().encode()
    STRAY_IDS.add(event_id)
    system.run(system.nc.jetstream().publish(subject, body, headers=headers))
    STRAYS.append(member)
    return [f"stray {member} published"]


FAULTS: list[tuple[str, Strike]] = [
    ("kill -9 assignment", kill_service("assignment")),
    ("kill -9 attendance", kill_service("attendance")),
    ("kill -9 rating", kill_service("rating")),
    ("kill -9 nats-server", kill_nats),
    ("kill -9 postgres postmaster", kill_postgres),
    ("deleted durable consumers", delete_consumers),
    ("stray message on CHIBO_ASSIGNMENT", publish_stray),
]


@pytest.mark.parametrize(("fault", "strike"), FAULTS, ids=[f[0] for f in FAULTS])
def test_every_acknowledged_command_survives_the_fault_once(
    chaos: Chaos, table: list[Row], fault: str, strike: Strike
) -> None:
    row, _ = chaos.run(fault, strike)
    table.append(row)

    assert row.acknowledged > 0, row.notes
    assert (row.lost, row.duplicated, row.problems) == (0, 0, []), row.problems[:20]
    assert row.stored == row.streamed == row.projected == row.acknowledged


def test_a_stray_message_never_reaches_a_read_model(chaos: Chaos) -> None:
    system = chaos.system
    assert STRAYS, "the stray message fault ran first"
    facts = facts_schema(system)

    def rows(service: str, query: str) -> list[str]:
        return [m for m in STRAYS if system.fetchval(service, query, m)]

    in_roster = rows("attendance", "SELECT count(*) FROM roster_members WHERE member_id = $1")
    in_facts = rows("rating", f"SELECT count(*) FROM {facts}.members WHERE member_id = $1")
    quarantined = rows(
        "assignment",
        "SELECT count(*) FROM relay_quarantine WHERE headers->>'ce-subject' = 'member-' || $1",
    )

    assert (in_roster, in_facts) == ([], [])
    assert quarantined == STRAYS  # the relay found it on its stream and set it apart
