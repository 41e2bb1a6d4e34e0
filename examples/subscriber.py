"""Read one chibo service's events about one organisation subtree, as another system would.

    python examples/subscriber.py --nats nats://127.0.0.1:4222 --service assignment \\
        --org-path LC.VB.VL [--durable NAME] [--drain | --follow]

It needs nats-py and the standard library only. A JetStream pull consumer of its own on the
service's stream `CHIBO_<SERVICE>` replays from the start, filtered on the subtree
`chibo.<service>.*.*.*.<path>.>` (the unit and every unit below it); each event prints one
line: `<ce-type> <ce-subject>@<ce-streamversion> <ce-time> <ce-id> <data as JSON>`. By default
(`--drain`) it stops once it has read what the stream held when it started; `--follow`
keeps receiving new events until Ctrl-C. Without `--durable` the consumer is ephemeral (the
server drops it soon after this program exits); with it, the server remembers what was
acknowledged and the next run continues from there.

Delivery is at least once: a message can come again (a redelivery after a lost ack, a
reconnect), so a consumer must be idempotent on `ce-id`; this one remembers the ids it saw
in memory, a real one keeps them (or, per `ce-subject`, the last `ce-streamversion` it
applied) in its own database, in the same transaction as its effects. Order holds only
within one aggregate: apply the events of one `ce-subject` in `ce-streamversion` order and
assume nothing across aggregates. A filter can leave holes in an aggregate's versions (its
other events may be of units outside the subtree), so a gap is normal here; a version at or
below the last one applied is a repeat.

See docs/events/README.md and docs/events/asyncapi.json for the envelope and the subjects.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import nats
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

TOKEN = re.compile(r"^[A-Za-z0-9_\-]+$")  # one subject token: no `.`, `*` or `>`
SERVICE = re.compile(r"^[a-z][a-z0-9_]*$")
REQUIRED_HEADERS = ("ce-id", "ce-type", "ce-subject", "ce-streamversion", "ce-time")


class Reader:
    """Dedups by ce-id, keeps per-aggregate order, prints one line per new event."""

    def __init__(self) -> None:
        self.seen_ids: set[str] = set()
        self.applied: dict[str, int] = {}  # ce-subject -> last ce-streamversion applied
        self.printed = 0

    def handle(self, headers: dict[str, str], body: bytes) -> str | None:
        """The line for a new event, or None for a repeat; ValueError for a bad message."""
        if headers.get("ce-specversion") != "1.0":
            raise ValueError(f"not a CloudEvents 1.0 message: {headers.get('ce-specversion')!r}")
        missing = [name for name in REQUIRED_HEADERS if not headers.get(name)]
        if missing:
            raise ValueError(f"headers missing: {', '.join(missing)}")
        if headers.get("ce-datacontenttype", "application/json") != "application/json":
            raise ValueError(f"unexpected content type {headers['ce-datacontenttype']!r}")
        event_id, aggregate = headers["ce-id"], headers["ce-subject"]
        version = int(headers["ce-streamversion"])
        data: Any = json.loads(body)
        if event_id in self.seen_ids:
            return None  # a redelivery
        if version <= self.applied.get(aggregate, 0):
            print(
                f"# {event_id}: {aggregate}@{version} came after a later version", file=sys.stderr
            )
            return None
        self.seen_ids.add(event_id)
        self.applied[aggregate] = version
        self.printed += 1
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return f"{headers['ce-type']} {aggregate}@{version} {headers['ce-time']} {event_id} {text}"


def subtree_filter(service: str, org_path: Sequence[str]) -> str:
    if not org_path:
        return f"chibo.{service}.>"
    return f"chibo.{service}.*.*.*.{'.'.join(org_path)}.>"


async def run(args: argparse.Namespace) -> int:
    org_path = args.org_path.split(".") if args.org_path else []
    subject = subtree_filter(args.service, org_path)
    stream = f"CHIBO_{args.service.upper()}"
    nc = await nats.connect(
        args.nats, name="chibo-example-subscriber", user=args.user, password=password_of(args.user)
    )
    try:
        js = nc.jetstream()
        config = ConsumerConfig(
            deliver_policy=DeliverPolicy.ALL,  # replay from the first stored event
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=30,
            max_ack_pending=1000,
            # An ephemeral consumer goes away this long after its reader does.
            inactive_threshold=None if args.durable else 60.0,
        )
        try:
            sub = await js.pull_subscribe(
                subject, durable=args.durable, stream=stream, config=config
            )
        except NotFoundError:
            print(f"no stream {stream} on {args.nats}", file=sys.stderr)
            return 1
        consumer = await sub.consumer_info()
        if consumer.config.filter_subject != subject:  # an existing durable filters otherwise
            print(
                f"consumer {args.durable} filters {consumer.config.filter_subject}, not {subject}",
                file=sys.stderr,
            )
            return 2
        print(f"# {stream} {subject} ({consumer.num_pending} to read)", file=sys.stderr)
        reader = Reader()
        try:
            await _read(sub, reader, follow=args.follow, batch=args.batch, wait=args.wait)
        finally:
            if not args.durable:
                await js.delete_consumer(stream, consumer.name)
        print(f"# {reader.printed} event(s)", file=sys.stderr)
        return 0
    finally:
        await nc.drain()


async def _read(
    sub: JetStreamContext.PullSubscription, reader: Reader, *, follow: bool, batch: int, wait: float
) -> None:
    if not follow and (await sub.consumer_info()).num_pending == 0:
        return
    while True:
        try:
            msgs = await sub.fetch(batch, timeout=wait)
        except TimeoutError:  # nats-py's fetch timeouts subclass it
            if follow:
                continue
            # Nothing came: done if nothing is left for us (redeliveries included).
            info = await sub.consumer_info()
            if info.num_pending == 0 and info.num_ack_pending == 0:
                return
            continue
        for msg in msgs:
            await _handle(reader, msg)
        # `num_pending` of the last message: what the stream held beyond it for us.
        if not follow and msgs[-1].metadata.num_pending == 0:
            return


async def _handle(reader: Reader, msg: Msg) -> None:
    try:
        line = reader.handle(dict(msg.headers or {}), msg.data)
    except ValueError as exc:  # includes bad JSON and a bad version number
        print(f"# skipped message {msg.metadata.sequence.stream}: {exc}", file=sys.stderr)
        await msg.term()  # never redeliver a message nobody can read
        return
    if line is not None:
        print(line, flush=True)
    await msg.ack()  # after handling: a crash before this means a redelivery, not a loss


def password_of(user: str | None) -> str | None:
    """From the environment, never the command line (which `ps` shows to everyone):
    $CHIBO_NATS_PASSWORD, else $NATS_<USER>_PASSWORD as the embedded stack's secrets.env
    names it."""
    if user is None:
        return None
    return os.environ.get("CHIBO_NATS_PASSWORD") or os.environ.get(f"NATS_{user.upper()}_PASSWORD")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Replay a chibo service's events for one organisation subtree."
    )
    parser.add_argument(
        "--user",
        default=os.environ.get("CHIBO_NATS_USER"),
        help="NATS user, e.g. the stack's `subscriber` (default: $CHIBO_NATS_USER); the "
        "password comes from $CHIBO_NATS_PASSWORD or $NATS_<USER>_PASSWORD",
    )
    parser.add_argument(
        "--nats",
        default=os.environ.get("CHIBO_NATS_URL", "nats://127.0.0.1:4222"),
        help="NATS URL (default: $CHIBO_NATS_URL, else nats://127.0.0.1:4222)",
    )
    parser.add_argument("--service", required=True, help="assignment, attendance or rating")
    parser.add_argument(
        "--org-path",
        default="",
        help="unit ids from the province down, dot-separated, e.g. LC.VB.VL (default: all)",
    )
    parser.add_argument("--durable", help="a named consumer the server keeps between runs")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--drain",
        dest="follow",
        action="store_false",
        default=False,
        help="stop after what the stream holds now (the default)",
    )
    mode.add_argument("--follow", action="store_true", help="keep receiving new events")
    parser.add_argument("--batch", type=int, default=100, help="messages per fetch")
    parser.add_argument("--wait", type=float, default=2.0, help="seconds a fetch waits")
    args = parser.parse_args(argv)
    if not SERVICE.match(args.service):
        parser.error(f"--service {args.service!r} is not a service name")
    if args.org_path and not all(TOKEN.match(t) for t in args.org_path.split(".")):
        parser.error(f"--org-path {args.org_path!r}: unit ids separated by dots, no wildcards")
    if args.durable and not TOKEN.match(args.durable):
        parser.error(f"--durable {args.durable!r} is not a valid consumer name")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
