"""Consume one chibo service's events about one organisation subtree into a store of your own,
with FastStream, as another system would:

    python examples/faststream_subscriber.py --nats nats://127.0.0.1:4222 --service assignment \\
        --org-path LC.VB.VL --durable my-system [--metrics-port 9108]

It needs `faststream[nats,prometheus]` and uvicorn (for the HTTP side: `/metrics` and
`/health`). A durable JetStream pull consumer, named by `--durable`, reads `CHIBO_<SERVICE>`
from the start, filtered on `chibo.<service>.*.*.*.<path>.>` (the unit and all below it);
the server remembers what was acknowledged, so the next run continues from there. A durable
keeps the filter it was created with: a new subtree needs a new name. Events are handled one
at a time, each settled before the next is fetched (`build` says why): a round trip per
event, which one organisation's events afford.

What a consumer of these events must assume:
- Delivery is at least once: an event can come again (a lost ack, a restart). The store
  skips an event whose `ce-id` it has, or whose `ce-streamversion` is at or below the last one
  it applied for that `ce-subject` (the aggregate), and the message is acked anyway.
- Order holds only within one aggregate (`ce-subject`, versions ascending), never across.
- Under a filter, an aggregate's versions can have holes (its other events are about units
  outside the subtree): a gap is normal, never a reason to wait.
- The ack comes after the effect: a crash in between means a redelivery, not a loss. A real
  store records the effect and the last version in one transaction, in its own database.
- Names arrive sealed (`enc:v1:…`, listed in `ce-sealedfields`): only the province's keyring
  opens them. On `member_erased`, drop what you derived about that member.

See docs/events/README.md and docs/events/asyncapi.json for the envelope and the subjects;
examples/subscriber.py does the same with nats-py alone.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol
from uuid import UUID

from faststream import AckPolicy
from faststream.asgi import AsgiFastStream, make_ping_asgi
from faststream.nats import ConsumerConfig, DeliverPolicy, JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from faststream.nats.prometheus import NatsPrometheusMiddleware
from faststream.security import SASLPlaintext
from nats.js.api import AckPolicy as ServerAckPolicy
from prometheus_client import CollectorRegistry, make_asgi_app
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, Json, JsonValue, ValidationError

TOKEN = re.compile(r"^[A-Za-z0-9_\-]+$")  # one subject token: no `.`, `*` or `>`
SERVICE = re.compile(r"^[a-z][a-z0-9_]*$")
log = logging.getLogger("chibo.example")


class ChiboEvent(BaseModel):
    """One event: CloudEvents 1.0 in binary mode, the attributes in `ce-*` headers and the data
    as the JSON body. Anything missing or malformed fails validation."""

    model_config = ConfigDict(frozen=True)  # other headers (Nats-Msg-Id...) are ignored

    specversion: Literal["1.0"] = Field(alias="ce-specversion")
    id: UUID = Field(alias="ce-id")
    type: str = Field(alias="ce-type", pattern=r"^chibo\.[a-z0-9_]+\.[a-z0-9_]+\.v[0-9]+$")
    subject: str = Field(alias="ce-subject", min_length=1)  # the aggregate, e.g. plan-VL-TT-2026
    streamversion: int = Field(alias="ce-streamversion", ge=1)
    time: AwareDatetime = Field(alias="ce-time")
    datacontenttype: Literal["application/json"] = Field(
        "application/json", alias="ce-datacontenttype"
    )
    data: Json[dict[str, JsonValue]]

    @classmethod
    def decode(cls, headers: dict[str, str], body: bytes) -> ChiboEvent:
        return cls.model_validate({**headers, "data": body})


class Store(Protocol):
    async def apply(self, event: ChiboEvent) -> bool:
        """Record the event's effect unless it is a repeat; whether it did."""
        ...


@dataclass
class MemoryStore:
    """The in-memory stand-in for your database."""

    applied: list[ChiboEvent] = field(default_factory=list)
    seen_ids: set[UUID] = field(default_factory=set)
    versions: dict[str, int] = field(default_factory=dict)  # ce-subject -> last version applied

    async def apply(self, event: ChiboEvent) -> bool:
        if event.id in self.seen_ids or event.streamversion <= self.versions.get(event.subject, 0):
            return False
        self.seen_ids.add(event.id)
        self.versions[event.subject] = event.streamversion
        self.applied.append(event)
        return True


async def handle(store: Store, msg: NatsMessage) -> None:
    """Apply one message's event, then settle it with the server."""
    try:
        event = ChiboEvent.decode(msg.headers, msg.body)
    except ValidationError as exc:
        subject = msg.raw_message.subject
        log.warning("rejected %s: %s", subject, exc.errors(include_url=False, include_input=False))
        await msg.reject()  # TERM: no delivery of it will ever decode
        return
    # An exception here leaves the message unacked: it comes back after ack_wait.
    await store.apply(event)
    await msg.ack()  # a repeat too: it is settled, never to come again


@dataclass(frozen=True)
class Settings:
    service: str
    org_path: tuple[str, ...]
    durable: str
    nats_url: str = "nats://127.0.0.1:4222"
    ack_wait: float = 30.0
    user: str | None = None
    password: str | None = None  # from the environment, never the command line

    @property
    def stream(self) -> str:
        return f"CHIBO_{self.service.upper()}"

    @property
    def filter(self) -> str:
        if not self.org_path:
            return f"chibo.{self.service}.>"
        return f"chibo.{self.service}.*.*.*.{'.'.join(self.org_path)}.>"


@dataclass(frozen=True)
class Consumer:
    broker: NatsBroker
    app: AsgiFastStream
    registry: CollectorRegistry  # what /metrics serves


def build(settings: Settings, store: Store) -> Consumer:
    registry = CollectorRegistry()
    # Its `handler` label is each message's subject: a series per event type and unit of the
    # subtree, which a commune affords and a whole province would not.
    metrics = NatsPrometheusMiddleware(registry=registry, app_name=settings.durable)
    security = None
    if settings.user is not None:
        security = SASLPlaintext(username=settings.user, password=settings.password or "")
    broker = NatsBroker(
        settings.nats_url, name=settings.durable, middlewares=[metrics], security=security
    )

    @broker.subscriber(
        settings.filter,
        # The service owns its stream. Declared, FastStream would try to create it at start,
        # and on a conflict rewrite it to its own configuration.
        stream=JStream(settings.stream, declare=False),
        durable=settings.durable,
        # One message per fetch: FastStream hands each message of a larger fetch to a task of
        # its own, and one aggregate's events must be applied one after the other.
        pull_sub=PullSub(batch_size=1, timeout=5.0),
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.ALL,  # a new durable replays the stream from the start
            ack_policy=ServerAckPolicy.EXPLICIT,
            ack_wait=settings.ack_wait,
            # An event the store failed on comes back before any later one is delivered, so
            # a later version cannot overtake it and make it look like a repeat.
            max_ack_pending=1,
        ),
        ack_policy=AckPolicy.MANUAL,  # the handler acks after the effect, or rejects
    )
    async def on_event(msg: NatsMessage) -> None:
        await handle(store, msg)

    app = AsgiFastStream(
        broker,
        asgi_routes=[("/metrics", make_asgi_app(registry)), ("/health", make_ping_asgi(broker))],
    )
    return Consumer(broker, app, registry)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Consume a chibo service's events, durably.")
    parser.add_argument("--nats", default=os.environ.get("CHIBO_NATS_URL", "nats://127.0.0.1:4222"))
    parser.add_argument(
        "--user",
        default=os.environ.get("CHIBO_NATS_USER"),
        help="NATS user, e.g. the stack's `subscriber`; the password comes from "
        "$CHIBO_NATS_PASSWORD or $NATS_<USER>_PASSWORD",
    )
    parser.add_argument("--service", required=True, help="assignment, attendance or rating")
    parser.add_argument("--org-path", default="", help="e.g. LC.VB.VL (default: everything)")
    parser.add_argument("--durable", required=True, help="the consumer's name on the server")
    parser.add_argument("--metrics-host", default="127.0.0.1")
    parser.add_argument("--metrics-port", type=int, default=9108)
    args = parser.parse_args(argv)
    if not SERVICE.match(args.service):
        parser.error(f"--service {args.service!r} is not a service name")
    if args.org_path and not all(TOKEN.match(t) for t in args.org_path.split(".")):
        parser.error(f"--org-path {args.org_path!r}: unit ids separated by dots, no wildcards")
    if not TOKEN.match(args.durable):
        parser.error(f"--durable {args.durable!r} is not a valid consumer name")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    org_path = tuple(args.org_path.split(".")) if args.org_path else ()
    password = None
    if args.user is not None:
        password = os.environ.get("CHIBO_NATS_PASSWORD") or os.environ.get(
            f"NATS_{args.user.upper()}_PASSWORD"
        )
    settings = Settings(
        args.service, org_path, args.durable, nats_url=args.nats, user=args.user, password=password
    )
    consumer = build(settings, MemoryStore())
    options = {"host": args.metrics_host, "port": args.metrics_port}
    asyncio.run(consumer.app.run(run_extra_options=options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
