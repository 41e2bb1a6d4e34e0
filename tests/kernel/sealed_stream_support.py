"""Two services of one province for the sealed-on-stream tests: a publisher with its own
database, store and stream; a consumer with a database of its own; one keyring database
that both read their data keys from (as CHIBO_KEYRING_DATABASE_URL points them to)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any, ClassVar

import asyncpg
from faststream.nats import NatsBroker
from nats.aio.client import Client as NATS
from pydantic import Field

from chibo_kernel import (
    ConsumerSpec,
    DomainEvent,
    EventConsumer,
    EventRegistry,
    KernelMetrics,
    OutboxRelay,
    PostgresEventStore,
    ReceivedEvent,
    StreamSpec,
    declare_stream,
)
from chibo_kernel.keyring import MasterKey, PostgresKeyring
from chibo_kernel.pool import LeanPool
from chibo_kernel.privacy import IDENTIFIER, PERSONAL
from chibo_kernel.subjects import category_subjects

from .support import new_service

NAME = "Nguyễn Thị Hoa"
USER_TYPED = "enc:v1:abc"  # what someone may well type into a free field


class MemberJoined(DomainEvent):
    """Published, its name sealed on the stream; `note` and `extra` are marked nothing.
    Each test subclasses it under an event type of its own service."""

    data_subject: ClassVar[str] = "member_id"
    sealed_on_stream: ClassVar[bool] = True
    member_id: Annotated[str, IDENTIFIER]
    full_name: Annotated[str, PERSONAL]  # required: erased, it still decodes (as None)
    note: str = ""
    extra: dict[str, Any] = Field(default_factory=dict)


def joined_model(service: str) -> type[MemberJoined]:
    class Joined(MemberJoined):
        event_type: ClassVar[str] = f"chibo.{service}.member_joined.v1"

    return Joined


MASTER = MasterKey.generate()

SEEN_DDL = """
CREATE TABLE IF NOT EXISTS seen_members (
    member_id text PRIMARY KEY, full_name text, note text NOT NULL)
"""


def member() -> str:
    return f"m-{uuid.uuid4().hex[:12]}"


class SeenMembers:
    """A consumer's read model: the names as the consumer decoded them."""

    async def apply(self, conn: asyncpg.Connection, events: Sequence[ReceivedEvent]) -> None:
        for received in events:
            event = received.event
            assert isinstance(event, MemberJoined)
            await conn.execute(
                "INSERT INTO seen_members VALUES ($1, $2, $3)",
                event.member_id,
                event.full_name,
                event.note,
            )


class Province:
    def __init__(
        self,
        publisher_url: str,
        publisher: LeanPool,
        consumer: LeanPool,
        keys: LeanPool,
        broker: NatsBroker,
        nc: NATS,
    ) -> None:
        self.publisher_url, self.publisher, self.consumer_pool = publisher_url, publisher, consumer
        self.keys, self.broker, self.nc = keys, broker, nc
        self.keyring = PostgresKeyring(keys, MASTER, own_database=False)
        self.store = PostgresEventStore(publisher, keyring=self.keyring)
        self.service = new_service()
        self.Joined = joined_model(self.service)
        self.registry = EventRegistry([self.Joined])
        self.stream = StreamSpec(self.service)

    async def start(self) -> Province:
        await declare_stream(self.nc.jetstream(), self.stream)
        await self.consumer_pool.execute(SEEN_DDL)
        return self

    async def publish(self) -> None:
        relay = OutboxRelay(
            database_url=self.publisher_url, nc=self.nc, stream=self.stream, metrics=KernelMetrics()
        )
        conn = await asyncpg.connect(self.publisher_url)
        try:
            while await relay.publish_round(conn):
                pass
        finally:
            await conn.close()

    def consumer(self, name: str, keyring: PostgresKeyring | None) -> EventConsumer:
        spec = ConsumerSpec(
            name=name,
            stream=self.stream.name,
            filter_subjects=[category_subjects(self.service, "member")],
            max_deliver=3,
            backoff_seconds=(0.05, 0.1, 0.2),
            ack_wait_seconds=2.0,
            fetch_timeout_seconds=0.2,
        )
        return EventConsumer(
            spec,
            pool=self.consumer_pool,
            broker=self.broker,
            registry=self.registry,
            projection=SeenMembers(),
            metrics=KernelMetrics(),
            keyring=keyring,
        )

    async def join(self, who: str, **fields: Any) -> None:
        joined = self.Joined(member_id=who, full_name=fields.pop("full_name", NAME), **fields)
        await self.store.append(f"member-{who}", 0, [joined])

    def consumer_keyring(self) -> PostgresKeyring:
        """The consumer's own keyring on the shared database: a cache of its own."""
        return PostgresKeyring(self.keys, MASTER, own_database=False)

    async def seen(self, member_id: str) -> asyncpg.Record | None:
        return await self.consumer_pool.fetchrow(
            "SELECT full_name, note FROM seen_members WHERE member_id = $1", member_id
        )
