"""Publishing events into JetStream three ways, against the same nats-server in the same run:
why the relay's hot loop publishes with nats-py's `publish_async` on the connection FastStream
owns, rather than through FastStream's `broker.publish(..., stream=...)`.

Every side sends the same N ~400-byte JSON bodies with the same headers the relay sends (the
CloudEvents binary-mode set from `binary_headers`, `Nats-Msg-Id`, and the
`Nats-Expected-Last-Msg-Id` chain), built inside the timed loop, into a fresh stream of the
services' configuration, and waits for every PubAck:

1. faststream: `NatsBroker.publish(body, subject, headers=..., stream=...)` on the broker the
   services build (`nats_broker`), one after the other: it returns the PubAck, and the chain
   needs each publish to land before the next (a concurrent one may overtake it and be
   refused).
2. relay path: the relay's send loop (`OutboxRelay._send`) on that broker's connection:
   `publish_async` with up to 4000 in flight, batches of 1000 (the relay's batch size), each
   batch's acks awaited and counted with the relay's `contiguous_acks`.
3. raw (the denominator): `publish_async` of all N on a bare nats-py connection, 4000 in
   flight, every PubAck awaited at the end.

Two reference lines split FastStream's figure: nats-py's `js.publish` one at a time on the
same connection (the round trip per event, without FastStream's layers), and
`broker.publish` with 256 calls in flight at once (`asyncio.gather`) and no chain (the most
FastStream's publish gives when order does not matter).

    .venv/bin/python bench/publish_paths.py [--events 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import nats
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from nats.js.api import PubAck
from nats.js.errors import NotFoundError

from chibo_kernel import StreamSpec, declare_stream
from chibo_kernel.envelope import binary_headers
from chibo_kernel.logging import configure_logging
from chibo_kernel.nats_client import nats_broker
from chibo_kernel.relay.acks import contiguous_acks
from chibo_kernel.relay.relay import EXPECTED_LAST_MSG_ID
from chibo_kernel.subjects import event_subject
from chibo_tools.embedded.nats import EmbeddedNats

SPEC = StreamSpec("benchpub")
EVENT_TYPE = f"chibo.{SPEC.service}.thing_happened.v1"
SUBJECT = event_subject(EVENT_TYPE, "thing-0", ["LC", "VB", "VL", "VL-TT"])
BODY_BYTES = 400
IN_FLIGHT = 4000  # what OutboxRelay gives its JetStream context
RELAY_BATCH = 1000  # OutboxRelay's default batch_size
GATHERED = 256


@dataclass
class Events:
    bodies: list[bytes]
    ids: list[str]

    def headers(self, i: int, *, chained: bool = True) -> dict[str, str]:
        """The relay's headers for event i, as `to_message` and `_send` build them."""
        headers = binary_headers(
            event_id=self.ids[i],
            source=f"/chibo/{SPEC.service}",
            event_type=EVENT_TYPE,
            time="2026-11-21T19:30:00.123456+00:00",
            subject="thing-0",
            stream_version=str(i + 1),
            correlation_id=self.ids[i],
            causation_id=None,
        )
        if chained and i:
            headers[EXPECTED_LAST_MSG_ID] = self.ids[i - 1]
        return headers


def make_events(count: int) -> Events:
    bodies = []
    for n in range(count):
        bare = {"n": n, "title": f"Meeting minutes #{n}", "note": ""}
        padding = BODY_BYTES - len(json.dumps(bare, separators=(",", ":")))
        bodies.append(json.dumps({**bare, "note": "x" * max(0, padding)}).encode())
    return Events(bodies, [str(uuid.uuid4()) for _ in bodies])


async def fresh_stream(nc: NATS) -> None:
    js = nc.jetstream()
    with contextlib.suppress(NotFoundError):
        await js.delete_stream(SPEC.name)
    await declare_stream(js, SPEC)


async def timed(count: int, work: Awaitable[object]) -> float:
    began = time.perf_counter()
    await work
    return count / (time.perf_counter() - began)


async def faststream_publish(broker: NatsBroker, events: Events) -> float:
    async def publish_all() -> None:
        for i, body in enumerate(events.bodies):
            await broker.publish(body, SUBJECT, headers=events.headers(i), stream=SPEC.name)

    return await timed(len(events.bodies), publish_all())


async def nats_py_publish(nc: NATS, events: Events) -> float:
    js = nc.jetstream()

    async def publish_all() -> None:
        for i, body in enumerate(events.bodies):
            await js.publish(SUBJECT, body, headers=events.headers(i), stream=SPEC.name)

    return await timed(len(events.bodies), publish_all())


async def faststream_gathered(broker: NatsBroker, events: Events) -> float:
    async def publish_all() -> None:
        for start in range(0, len(events.bodies), GATHERED):
            await asyncio.gather(
                *(
                    broker.publish(
                        body, SUBJECT, headers=events.headers(i, chained=False), stream=SPEC.name
                    )
                    for i, body in enumerate(events.bodies[start : start + GATHERED], start)
                )
            )

    return await timed(len(events.bodies), publish_all())


async def relay_path(nc: NATS, events: Events) -> float:
    js = nc.jetstream(publish_async_max_pending=IN_FLIGHT)

    async def publish_all() -> None:
        for start in range(0, len(events.bodies), RELAY_BATCH):
            in_flight: list[asyncio.Future[PubAck]] = []
            for i in range(start, min(start + RELAY_BATCH, len(events.bodies))):
                headers = events.headers(i)
                in_flight.append(await js.publish_async(SUBJECT, events.bodies[i], headers=headers))
            await asyncio.wait(in_flight)
            acked, cause = contiguous_acks(in_flight, None)
            if acked < len(in_flight):
                raise RuntimeError(f"{acked}/{len(in_flight)} acked: {cause!r}")

    return await timed(len(events.bodies), publish_all())


async def raw_publish(nc: NATS, events: Events) -> float:
    js = nc.jetstream(publish_async_max_pending=IN_FLIGHT)

    async def publish_all() -> None:
        futures = [
            await js.publish_async(SUBJECT, body, headers=events.headers(i))
            for i, body in enumerate(events.bodies)
        ]
        for future in futures:
            await future  # raises if any publish was refused

    return await timed(len(events.bodies), publish_all())


@dataclass
class Side:
    label: str
    measure: Callable[[Events], Awaitable[float]]
    rates: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


def human(value: float) -> str:
    return f"{value / 1000:.1f}k" if value >= 1000 else f"{value:.0f}"


def report(sides: dict[str, Side], events: int, repeats: int, nc: NATS) -> list[str]:
    raw = sides["raw"]
    server = nc.connected_server_version
    libs = ", ".join(f"{p} {importlib.metadata.version(p)}" for p in ("faststream", "nats-py"))
    lines = [
        f"env: {os.cpu_count()} cpus, python {platform.python_version()}, "
        f"nats-server {server.major}.{server.minor}.{server.patch}, {libs}; "
        f"{events} events x {repeats} repeats, {BODY_BYTES}-byte JSON bodies, medians",
        "",
    ]
    for name, side in sides.items():
        if name == "raw":
            continue
        lines.append(
            f"{name:<11} {human(side.median):>6} ev/s = {side.median / raw.median:.2f}x "
            f"{raw.label} ({human(raw.median)} ev/s): {side.label}"
        )
    lines += ["", "per repeat (ev/s):"]
    lines += [f"  {n:<11} " + ", ".join(human(r) for r in s.rates) for n, s in sides.items()]
    return lines


async def run(nats_url: str, events: int, repeats: int) -> list[str]:
    broker = nats_broker(nats_url, name="bench-publish")
    nc = await broker.connect()  # FastStream's connection: the one the relay publishes on
    bare = await nats.connect(nats_url)
    try:
        sides = {
            "faststream": Side(
                "broker.publish(..., stream=), one at a time",
                lambda e: faststream_publish(broker, e),
            ),
            "relay path": Side(
                f"publish_async on FastStream's connection, batches of {RELAY_BATCH}",
                lambda e: relay_path(nc, e),
            ),
            "raw": Side("raw publish_async, same headers", lambda e: raw_publish(bare, e)),
            "js.publish": Side(
                "nats-py js.publish, one at a time, same connection (reference only)",
                lambda e: nats_py_publish(nc, e),
            ),
            "gathered": Side(
                f"broker.publish, {GATHERED} in flight via gather, no chain (reference only)",
                lambda e: faststream_gathered(broker, e),
            ),
        }
        for _ in range(repeats):
            for side in sides.values():
                await fresh_stream(bare)
                side.rates.append(await side.measure(make_events(events)))
        return report(sides, events, repeats, bare)
    finally:
        await bare.drain()
        await broker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=5000, help="events per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; medians reported")
    args = parser.parse_args()
    if args.events < 1 or args.repeat < 1:
        parser.error("--events and --repeat must be at least 1")
    configure_logging("bench", "WARNING")
    with tempfile.TemporaryDirectory(prefix="chibo-bench-publish-") as tmp:
        server = EmbeddedNats(Path(tmp) / "nats")
        server.start()
        try:
            lines = asyncio.run(run(server.url, args.events, args.repeat))
        finally:
            server.stop()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
