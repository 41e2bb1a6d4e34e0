"""Driving the consumers with hostile messages: find them, publish, wait until they have
settled everything, and read what they did."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from nats.js.errors import Error as JetStreamError

from chibo_contracts.assignment import REGISTRY as ASSIGNMENT_EVENTS
from chibo_kernel.events import EventRegistry
from chibo_kernel.streams import STORE_HEADER, stream_owner

from .harness import System
from .messages import Consumer, Message, expectation, on_the_wire

ROSTER = "attendance-roster-v1"


def find_consumers(system: System) -> list[Consumer]:
    """Every consumer of the running services: attendance's roster consumer, and the rating
    service's read-model consumers (their names carry its instance and generation)."""
    from attendance.adapters.roster_projection import roster_consumer_spec
    from rating.application.read_models import SOURCES

    found = []
    if "attendance" in system.services:
        spec = roster_consumer_spec()
        found.append(
            Consumer(
                "attendance", ROSTER, spec.stream, list(spec.filter_subjects), ASSIGNMENT_EVENTS
            )
        )
    if "rating" in system.services:
        status = system.ok("rating", "GET", "/v1/admin/read-models")
        sources = {s for s, *_ in SOURCES}
        for name in status["pending"]:
            source = name.rsplit("-", 1)[1]
            if source not in sources:
                continue  # the derivation's backlog, not a consumer
            registry: EventRegistry = next(r for s, _, r in SOURCES if s == source)
            stream = next(st for s, st, _ in SOURCES if s == source)
            found.append(Consumer("rating", name, stream, [f"chibo.{source}.>"], registry))
    return found


def live_categories(system: System, stream: str) -> dict[str, str]:
    """Event type -> aggregate category, from what the services really published."""
    from kernel.support import read_stream

    assert system.nc is not None
    found: dict[str, str] = {}
    for msg in system.run(read_stream(system.nc.jetstream(), stream)):
        headers = msg.headers or {}
        found[headers.get("ce-type", "")] = msg.subject.split(".")[2]
    return found


def settled(system: System, consumers: list[Consumer]) -> bool:
    return all(system.consumer_idle(c.stream, c.name) for c in consumers)


def wait_settled(system: System, consumers: list[Consumer], timeout: float) -> float:
    started = time.monotonic()
    system.eventually(
        lambda: settled(system, consumers), timeout=timeout, what="the consumers to settle"
    )
    return time.monotonic() - started


@dataclass
class Published:
    """What one publishing round sent, and what each consumer should make of it."""

    sent: Counter[str] = field(default_factory=Counter)  # kind -> messages stored
    expected: dict[str, Counter[str]] = field(default_factory=dict)  # consumer -> outcome
    duplicates: int = 0  # dropped by JetStream's duplicate window: never delivered
    refused: Counter[str] = field(default_factory=Counter)  # by the client or the server
    deferred: list[Message] = field(default_factory=list)  # would be applied: next round
    # (consumer, stream sequence) -> what it should do with the message
    by_seq: dict[tuple[str, int], tuple[str, Message]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def stream_of(message: Message) -> str:
    return f"CHIBO_{message.subject.split('.')[1].upper()}"


_OWNERS: dict[tuple[int, str], str] = {}  # (connection, stream) -> the store its owner records


def as_owner(system: System, stream: str, headers: dict[str, str]) -> dict[str, str]:
    """`headers` naming the store the stream's owner records."""
    assert system.nc is not None
    key = (id(system.nc), stream)
    if key not in _OWNERS:
        owner = system.run(stream_owner(system.nc.jetstream(), stream))
        assert owner is not None, f"{stream} records no owner: has its relay led yet?"
        _OWNERS[key] = owner.store
    return {**headers, STORE_HEADER: _OWNERS[key]}


def publish(system: System, message: Message) -> tuple[str, int]:
    """('stored', stream sequence), ('duplicate', 0) or (why it was refused, 0). Each
    message names the stream owner's store, as one with the owner's credentials and its
    messages before it can: consumers park any other store's messages unread, and what is
    probed here is what they do with the content."""
    assert system.nc is not None
    js = system.nc.jetstream()
    headers = as_owner(system, stream_of(message), message.headers)
    try:
        ack = system.run(js.publish(message.subject, message.body, headers=headers))
    except (JetStreamError, ValueError, TypeError, TimeoutError) as exc:
        return type(exc).__name__, 0
    except Exception as exc:  # nats-py raises plain errors for e.g. a payload too large
        return type(exc).__name__, 0
    return ("duplicate", 0) if ack.duplicate else ("stored", int(ack.seq))


def publish_round(
    system: System,
    consumers: list[Consumer],
    strategy: st.SearchStrategy[Message],
    examples: int,
    *,
    only_rejected: bool,
    seed_value: int,
) -> Published:
    """Publish hypothesis-drawn messages; with `only_rejected`, those some consumer would
    apply are kept back (in `deferred`) so that nothing of this round may change a read
    model."""
    round_ = Published(expected={c.name: Counter() for c in consumers})
    parked: dict[str, set[str]] = {c.name: set() for c in consumers}

    def outcome(consumer: Consumer, message: Message) -> str:
        found = expectation(consumer, message)
        stream_id = message.headers.get("ce-subject")
        if found in ("applied", "skipped") and stream_id in parked[consumer.name]:
            return "parked"  # an earlier message of its aggregate is parked
        return found

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=strategy)
    def one(drawn: Message) -> None:
        message = on_the_wire(drawn)
        outcomes = {c.name: outcome(c, message) for c in consumers}
        if only_rejected and "applied" in outcomes.values():
            round_.deferred.append(message)
            return
        result, seq = publish(system, message)
        if result == "duplicate":
            round_.duplicates += 1
            return
        if result != "stored":
            round_.refused[result] += 1
            return
        round_.sent[message.kind] += 1
        for consumer in consumers:
            found = outcomes[consumer.name]
            round_.expected[consumer.name][found] += 1
            if stream_of(message) == consumer.stream:
                round_.by_seq[(consumer.name, seq)] = (found, message)
            stream_id = message.headers.get("ce-subject")
            if found == "parked" and stream_id:
                parked[consumer.name].add(stream_id)

    seeded = seed(seed_value)(one)
    seeded()
    return round_


def publish_messages(
    system: System, consumers: list[Consumer], messages: list[Message]
) -> Published:
    round_ = Published(expected={c.name: Counter() for c in consumers})
    for message in map(on_the_wire, messages):
        result, _ = publish(system, message)
        if result == "stored":
            round_.sent[message.kind] += 1
            for consumer in consumers:
                round_.expected[consumer.name][expectation(consumer, message)] += 1
        elif result == "duplicate":
            round_.duplicates += 1
        else:
            round_.refused[result] += 1
    return round_


def parked_now(system: System, consumers: list[Consumer]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for service in {c.service for c in consumers}:
        counts.update(system.parked(service))
    return {c.name: counts.get(c.name, 0) for c in consumers}


def unexpectedly_parked(
    system: System, consumers: list[Consumer], rounds: list[Published]
) -> list[str]:
    """Parked messages the round expected to be skipped or applied, with why."""
    expected: dict[tuple[str, int], tuple[str, Message]] = {}
    for round_ in rounds:
        expected.update(round_.by_seq)
    found = []
    for consumer in consumers:
        conn = system.services[consumer.service].conn
        assert conn is not None
        rows = system.run(
            conn.fetch(
                "SELECT stream_seq, subject, headers::text, reason, error FROM parked_messages"
                " WHERE consumer = $1",
                consumer.name,
            )
        )
        for row in rows:
            outcome, message = expected.get((consumer.name, row["stream_seq"]), ("?", None))
            if message is None:
                found.append(
                    f"{consumer.name} parked #{row['stream_seq']} ({row['error'][:200]}), "
                    f"not one of the round's: {row['subject']} {row['headers'][:300]}"
                )
            elif outcome != "parked":
                found.append(
                    f"{consumer.name} parked #{row['stream_seq']} ({row['error'][:200]}), "
                    f"expected {outcome}: {message.kind} {message.subject} "
                    f"{ {k: v[:80] for k, v in message.headers.items()} } {message.body[:200]!r}"
                )
    return found


def errors_logged(system: System, services: list[str]) -> list[str]:
    found = []
    for name in services:
        found += [f"{name}: {e}" for e in system.services[name].new_errors()]
    return found


def describe(round_: Published, title: str) -> list[str]:
    lines = [
        f"  {title}: {round_.total} messages stored on the streams "
        f"({', '.join(f'{k}: {n}' for k, n in sorted(round_.sent.items()))})",
    ]
    if round_.duplicates or round_.refused:
        lines.append(
            f"    not delivered: {round_.duplicates} duplicate ids, refused {dict(round_.refused)}"
        )
    for consumer, outcomes in round_.expected.items():
        shown = ", ".join(f"{k}: {n}" for k, n in sorted(outcomes.items()))
        lines.append(f"    {consumer} should have: {shown}")
    return lines
