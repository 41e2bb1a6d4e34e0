"""Issue 7: every consumer against hostile messages published straight onto its source
stream (garbage bytes, wrong or missing CloudEvents headers, unknown event types, known
types with invalid bodies, known types with hostile data). Rejected messages are parked
(or, of unknown types, skipped) and change no read model and no event store; the services
stay healthy and log no failed batch; a valid event published afterwards is still applied.

Round 1 publishes only messages no consumer may apply and checks that every consumer
parked exactly those its own decoding refuses and changed nothing else. Round 2 publishes
valid envelopes carrying hostile data (and round 1's held-back valid envelopes with hostile
headers): each is applied, or retried and parked if its projection cannot take it."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from kernel.support import read_stream

from chibo_contracts import assignment, attendance

from .consumers import (
    Published,
    describe,
    errors_logged,
    find_consumers,
    live_categories,
    parked_now,
    publish_messages,
    publish_round,
    unexpectedly_parked,
    wait_settled,
)
from .harness import System
from .messages import Message, Messages
from .seeds import BRANCH, Seeds

SOURCES = {"assignment": assignment.REGISTRY, "attendance": attendance.REGISTRY}
REJECTED = {"assignment": 1500, "attendance": 500}  # messages drawn per source stream
HOSTILE_DATA = {"assignment": 200, "attendance": 80}
CONSUMING = ["attendance", "rating"]
SEEDS = {"rejected": 7, "hostile data": 11}  # hypothesis seeds: change to explore further


def publish_like_the_relay(system: System, stream: str, event_type: str, key: str) -> str:
    """A real event of `event_type`, copied from the stream with a new id for its aggregate,
    published as the owning service's relay would: what a consumer must still apply after
    the hostile messages. (The owner's own relay stops publishing once a foreign message
    is its stream's last, by design: chibo_kernel/relay/relay.py _reconcile.)"""
    assert system.nc is not None
    js = system.nc.jetstream()
    template = next(
        m
        for m in system.run(read_stream(js, stream))
        if (m.headers or {}).get("ce-type") == event_type
    )
    new_id = uuid.uuid4().hex
    data = {**json.loads(template.data), key: new_id}
    headers = {
        k: v for k, v in (template.headers or {}).items() if not k.startswith("Nats-Expected")
    }
    event_id = str(uuid.uuid4())
    category = headers["ce-subject"].split("-", 1)[0]
    headers.update(
        {
            "ce-id": event_id,
            "Nats-Msg-Id": event_id,
            "ce-subject": f"{category}-{new_id}",
            "ce-streamversion": "1",
        }
    )
    system.run(js.publish(template.subject, json.dumps(data).encode(), headers=headers))
    return new_id


def valid_events_still_applied(system: System) -> None:
    """A member registered and a meeting scheduled now reach every consumer."""
    member = publish_like_the_relay(
        system, "CHIBO_ASSIGNMENT", "chibo.assignment.member_registered.v3", "member_id"
    )
    meeting = publish_like_the_relay(
        system, "CHIBO_ATTENDANCE", "chibo.attendance.meeting_scheduled.v1", "meeting_id"
    )

    def on_roster() -> bool:
        roster = system.ok(
            "attendance", "GET", f"/v1/branches/{BRANCH}/roster", params={"on": "2025-08-08"}
        )
        return member in {m["member_id"] for m in roster["members"]}

    def in_rating(table: str, column: str, key: str) -> bool:
        generation = system.fetchval(
            "rating",
            "SELECT generation FROM consumed_read_models "
            "WHERE name = 'rating-facts' AND state = 'active'",
        )
        query = f"SELECT count(*) FROM rm_{generation}.{table} WHERE {column} = $1"
        return bool(system.fetchval("rating", query, key))

    system.eventually(on_roster, timeout=60, what="the new member on attendance's roster")
    system.eventually(
        lambda: in_rating("members", "member_id", member), timeout=60, what="the member in rating"
    )
    system.eventually(
        lambda: in_rating("meetings", "meeting_id", meeting),
        timeout=60,
        what="the meeting in rating",
    )


def consumer_state(system: System, consumer: str, stream: str) -> str:
    assert system.nc is not None
    info = system.run(system.nc.jetstream().consumer_info(stream, consumer))
    return (
        f"{consumer}: pending {info.num_pending}, unacknowledged {info.num_ack_pending}, "
        f"redelivered {info.num_redelivered}, acknowledged up to {info.ack_floor.stream_seq}"
    )


@pytest.mark.timeout(900)
def test_consumers_under_hostile_messages(
    full_system: tuple[System, Seeds], capsys: pytest.CaptureFixture[str]
) -> None:
    system, _ = full_system
    started = time.monotonic()
    consumers = find_consumers(system)
    assert {c.service for c in consumers} == set(CONSUMING)
    assert len(consumers) == 3
    wait_settled(system, consumers, timeout=60)
    errors_logged(system, CONSUMING)  # from here on
    stores = {s: system.state(s) for s in system.services}
    parked_before = parked_now(system, consumers)
    lines = [f"[consumers] {', '.join(c.name for c in consumers)}"]
    problems: list[str] = []
    strategies = {
        source: Messages(source, registry, live_categories(system, f"CHIBO_{source.upper()}"))
        for source, registry in SOURCES.items()
    }

    # Round 1: messages no consumer may apply.
    held_back: list[Message] = []
    rejected: list[Published] = []
    for source, messages in strategies.items():
        round_ = publish_round(
            system,
            consumers,
            messages.rejected(),
            REJECTED[source],
            only_rejected=True,
            seed_value=SEEDS["rejected"],
        )
        rejected.append(round_)
        held_back += round_.deferred
        lines += describe(round_, f"rejected messages on CHIBO_{source.upper()}")
    waited = wait_settled(system, consumers, timeout=120)
    lines.append(f"    settled {waited:.1f}s after the last publish")
    parked = parked_now(system, consumers)
    for consumer in consumers:
        expected = sum(r.expected[consumer.name]["parked"] for r in rejected)
        got = parked[consumer.name] - parked_before[consumer.name]
        seen = sum(
            sum(r.expected[consumer.name].values()) - r.expected[consumer.name]["ignored"]
            for r in rejected
        )
        lines.append(
            f"    {consumer.name}: {seen} messages on its subjects, "
            f"{got} parked (expected {expected})"
        )
        if got != expected:
            problems.append(f"{consumer.name} parked {got}, expected {expected}")
    if problems:
        problems += unexpectedly_parked(system, consumers, rejected)
    for service, before in stores.items():
        changed = before.differences(system.state(service))
        if changed:
            problems.append(f"rejected messages changed {service}: {changed}")
    problems += errors_logged(system, CONSUMING)
    problems += [p for s in system.services for p in system.healthy(s)]

    # Round 2: valid envelopes, hostile data: applied, or parked if the projection cannot
    # take them; either way no event store changes and no consumer breaks.
    rounds = list(rejected)
    for source, messages in strategies.items():
        round_ = publish_round(
            system,
            consumers,
            messages.hostile_data(),
            HOSTILE_DATA[source],
            only_rejected=False,
            seed_value=SEEDS["hostile data"],
        )
        rounds.append(round_)
        lines += describe(round_, f"hostile data on CHIBO_{source.upper()}")
    leftover = publish_messages(system, consumers, held_back)
    rounds.append(leftover)
    lines += describe(leftover, "valid envelopes with hostile headers, held back from round 1")
    waited = wait_settled(system, consumers, timeout=180)
    lines.append(f"    settled {waited:.1f}s after the last publish")
    after = parked_now(system, consumers)
    for consumer in consumers:
        lines.append(f"    {consumer.name}: {after[consumer.name] - parked[consumer.name]} parked")
    for service, before in stores.items():
        now = system.state(service)
        if (now.events, now.last_position) != (before.events, before.last_position):
            problems.append(f"hostile messages changed {service}'s event store")
    problems += errors_logged(system, CONSUMING)
    problems += [p for s in system.services for p in system.healthy(s)]

    try:
        valid_events_still_applied(system)
    except AssertionError as exc:
        problems.append(str(exc))
        problems += [consumer_state(system, c.name, c.stream) for c in consumers]
        problems += errors_logged(system, CONSUMING)
    for consumer in consumers:
        tried = sum(
            sum(r.expected[consumer.name].values()) - r.expected[consumer.name]["ignored"]
            for r in rounds
        )
        lines.append(f"  {consumer.name}: {tried} hostile messages on its subjects in all")
    lines.append(f"  done in {time.monotonic() - started:.1f}s")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert not problems, "\n".join(problems)
