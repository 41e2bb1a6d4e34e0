"""What the servers hold, as the reconciliation reads it: how often each message id is on
a service's stream, the durable consumers of the sources' streams (and which service's
database keeps each one's checkpoint), and where rating's serving facts live."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from .stack import ChaosSystem

SOURCES = ("assignment", "attendance")
CONSUMING = ("attendance", "rating")


@dataclass(frozen=True)
class Durable:
    name: str
    stream: str
    filters: tuple[str, ...]
    database: str  # the consuming service


def matches(subject: str, pattern: str) -> bool:
    tokens, wanted = subject.split("."), pattern.split(".")
    for i, want in enumerate(wanted):
        if want == ">":
            return len(tokens) > i
        if i >= len(tokens) or (want != "*" and want != tokens[i]):
            return False
    return len(tokens) == len(wanted)


async def stream_ids(system: ChaosSystem, service: str) -> Counter[str]:
    """How often each Nats-Msg-Id is on the service's stream."""
    assert system.nc is not None
    js = system.nc.jetstream()
    stream = f"CHIBO_{service.upper()}"
    last = (await js.stream_info(stream)).state.last_seq
    seen: Counter[str] = Counter()
    if not last:
        return seen
    config = ConsumerConfig(
        ack_policy=AckPolicy.NONE,
        deliver_policy=DeliverPolicy.ALL,
        headers_only=True,
        inactive_threshold=30.0,
    )
    sub = await js.pull_subscribe(f"chibo.{service}.>", stream=stream, config=config)
    try:
        reached = 0
        while reached < last:
            for msg in await sub.fetch(512, timeout=5):
                reached = max(reached, msg.metadata.sequence.stream)
                seen[(msg.headers or {}).get("Nats-Msg-Id", "")] += 1
    finally:
        await sub.unsubscribe()
    return seen


async def durables(system: ChaosSystem) -> list[Durable]:
    assert system.nc is not None
    js = system.nc.jetstream()
    found = []
    for service in SOURCES:
        stream = f"CHIBO_{service.upper()}"
        for info in await js.consumers_info(stream):
            name = info.config.durable_name or ""
            owner = next((s for s in CONSUMING if name.startswith(s)), None)
            if owner is None:
                continue
            config = info.config
            filters = tuple(config.filter_subjects or [config.filter_subject or ">"])
            found.append(Durable(name, stream, filters, owner))
    return found


def facts_schema(system: ChaosSystem) -> str:
    generation = system.fetchval(
        "rating",
        "SELECT generation FROM consumed_read_models WHERE state = 'active' "
        "AND name NOT LIKE 'attendance%' ORDER BY generation DESC LIMIT 1",
    )
    return f"rm_{generation or 1}"
