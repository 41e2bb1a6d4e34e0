"""After a fault: each acknowledged command followed from its answer to the read models.

A command is
- stored when every event id its answer named is in its service's event store, and the
  store holds its effect once (the events carrying its marker are the answer's, no more);
- streamed when each of its public events is on the service's stream exactly once (by
  `Nats-Msg-Id`);
- projected when every durable consumer whose filter takes one of its events has applied
  it (its per-aggregate version in the consumer's database reached the event's), and a
  registered member is in attendance's roster and rating's facts, with one period each.
It is lost when any of these is missing, duplicated when anything is there twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from chibo_kernel.subjects import checked_event_subject

from .load import Outcome
from .observed import CONSUMING, Durable, durables, facts_schema, matches, stream_ids
from .stack import ChaosSystem

# Message ids put on a stream on purpose by the stray-message fault: on the stream, never
# in a store, and never to be applied.
STRAY_IDS: set[str] = set()


@dataclass
class Row:
    fault: str
    acknowledged: int = 0
    stored: int = 0
    streamed: int = 0
    projected: int = 0
    lost: int = 0
    duplicated: int = 0
    recovery: float = 0.0
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # each loss or duplicate, named


def _events(system: ChaosSystem, service: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = system.run(
        _conn(system, service).fetch(
            "SELECT event_id::text AS id, stream_id, version, event_type, "
            "metadata ? 'private' AS private, "
            "ARRAY(SELECT jsonb_array_elements_text(metadata -> 'org_path')) AS org_path "
            "FROM events WHERE event_id = ANY($1::uuid[])",
            ids,
        )
    )
    found = {}
    for r in rows:
        event = dict(r)
        event["subject"] = checked_event_subject(r["event_type"], r["stream_id"], r["org_path"])
        found[r["id"]] = event
    return found


def _conn(system: ChaosSystem, service: str) -> Any:
    conn = system.services[service].conn
    assert conn is not None
    return conn


def reconcile(system: ChaosSystem, row: Row, outcomes: list[Outcome]) -> None:
    acknowledged = [o for o in outcomes if o.acknowledged]
    row.acknowledged = len(acknowledged)
    streams = {s: system.run(stream_ids(system, s)) for s in system.services}
    consumers = system.run(durables(system))
    facts = facts_schema(system)
    for outcome in acknowledged:
        command, ids = outcome.command, outcome.event_ids
        stored = _events(system, command.service, ids)
        missing: list[str] = []
        doubled: list[str] = []
        if len(stored) < len(ids):
            missing.append(f"{len(ids) - len(stored)} event(s) not in the store")
        public = [e for e in stored.values() if not e["private"]]
        effects = len(public)  # without a marker the caller counts the effect itself
        if command.marker:
            effects = system.fetchval(
                command.service,
                "SELECT count(*) FROM events WHERE NOT (metadata ? 'private') "
                "AND data::text LIKE $1",
                f'%"{command.marker}"%',  # a JSON string: "…3" is not "…33"
            )
        if effects > len(public):
            doubled.append(
                f"{effects} public events carry its marker, its answer named {len(public)}"
            )
        on_stream = [streams[command.service][e["id"]] for e in public]
        stream_ok = all(n == 1 for n in on_stream)
        if any(n == 0 for n in on_stream):
            missing.append("an event is not on the stream")
        if any(n > 1 for n in on_stream):
            doubled.append("an event is on the stream more than once")
        projected = _projection_problems(system, consumers, command.service, public)
        projected += _read_model_problems(system, facts, outcome)
        missing += [p for p in projected if not p.startswith("twice")]
        doubled += [p for p in projected if p.startswith("twice")]
        if len(stored) == len(ids) and effects <= len(public):
            row.stored += 1
        if not missing and stream_ok:
            row.streamed += 1
        if not projected:
            row.projected += 1
        if missing:
            row.lost += 1
        if doubled:
            row.duplicated += 1
        for problem in missing + doubled:
            row.problems.append(f"{command.kind} {command.marker}: {problem}")
    row.problems.extend(whole_store_problems(system, streams))


def whole_store_problems(system: ChaosSystem, streams: dict[str, Counter[str]]) -> list[str]:
    """Beyond this fault's commands: every stored public event of every service on its
    stream once, nothing else on a stream but the strays, nothing parked but the strays."""
    found = []
    for service, on_stream in streams.items():
        stored = {
            str(r["event_id"])
            for r in system.run(
                _conn(system, service).fetch(
                    "SELECT event_id FROM events WHERE NOT (metadata ? 'private')"
                )
            )
        }
        absent = [e for e in stored if on_stream[e] == 0]
        twice = [e for e, n in on_stream.items() if n > 1]
        foreign = [e for e in on_stream if e not in stored and e not in STRAY_IDS]
        for what, ids in (("not on", absent), ("twice on", twice), ("foreign on", foreign)):
            if ids:
                found.append(f"{len(ids)} event(s) {what} CHIBO_{service.upper()}: {ids[:3]}")
    for service in CONSUMING:
        parked = system.run(
            _conn(system, service).fetch(
                "SELECT consumer, event_id, reason FROM parked_messages WHERE replayed_at IS NULL"
            )
        )
        left = [dict(r) for r in parked if r["event_id"] not in STRAY_IDS]
        if left:
            found.append(f"{len(left)} message(s) parked by {service}: {left[:3]}")
    return found


def _projection_problems(
    system: ChaosSystem, consumers: list[Durable], service: str, public: list[dict[str, Any]]
) -> list[str]:
    found = []
    for event in public:
        for durable in consumers:
            if durable.stream != f"CHIBO_{service.upper()}":
                continue
            if not any(matches(event["subject"], f) for f in durable.filters):
                continue
            reached = system.fetchval(
                durable.database,
                "SELECT version FROM consumer_stream_versions WHERE consumer = $1 "
                "AND stream_id = $2",
                durable.name,
                event["stream_id"],
            )
            if reached is None or reached < event["version"]:
                found.append(f"{durable.name} has not applied {event['event_type']}")
    return found


def _read_model_problems(system: ChaosSystem, facts: str, outcome: Outcome) -> list[str]:
    member = outcome.answer.get("member_id")
    if outcome.command.kind != "register member" or member is None:
        return []
    found = []
    roster = system.fetchval(
        "attendance",
        "SELECT count(*) FROM roster_periods WHERE member_id = $1 AND membership = 'official'",
        member,
    )
    rated = system.fetchval(
        "rating", f"SELECT count(*) FROM {facts}.member_periods WHERE member_id = $1", member
    )
    for where, count in (("attendance's roster", roster), ("rating's facts", rated)):
        if count == 0:
            found.append(f"not in {where}")
        elif count > 1:
            found.append(f"twice in {where} ({count} periods)")
    return found
