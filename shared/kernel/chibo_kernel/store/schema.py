"""Kernel tables, declared once for Alembic and for queries.

- `events`: the append-only store and the outbox. `(stream_id, version)` is the optimistic
  concurrency key; `tx_id` (xid8 of the writing transaction) with `position` gives the relay
  a commit-safe order. `position` is an identity and needs no index of its own: every
  index here is paid on every append.
- `relay_checkpoints`: how far the relay has published, written only after PubAcks.
- `consumer_*` and `parked_messages`: the idempotent consumer's bookkeeping, written in the
  same transaction as the handler's effect.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.types import UserDefinedType


class Xid8(UserDefinedType[str]):
    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        return "xid8"


metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("position", BigInteger, Identity(always=True), nullable=False),
    Column("stream_id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", Text, nullable=False),
    Column("data", JSONB, nullable=False),
    Column("metadata", JSONB, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("tx_id", Xid8, nullable=False, server_default=text("pg_current_xact_id()")),
    PrimaryKeyConstraint("stream_id", "version", name="events_pkey"),
    UniqueConstraint("event_id", name="events_event_id_key"),
    Index("events_relay_order", "tx_id", "position"),
)

relay_checkpoints = Table(
    "relay_checkpoints",
    metadata,
    Column("name", Text, primary_key=True),
    Column("tx_id", Xid8, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("event_id", UUID(as_uuid=True)),
    Column("published", BigInteger, nullable=False, server_default=text("0")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

consumer_stream_versions = Table(
    "consumer_stream_versions",
    metadata,
    Column("consumer", Text, nullable=False),
    Column("stream_id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    PrimaryKeyConstraint("consumer", "stream_id", name="consumer_stream_versions_pkey"),
)

consumer_positions = Table(
    "consumer_positions",
    metadata,
    Column("consumer", Text, primary_key=True),
    Column("stream_seq", BigInteger, nullable=False),
    Column("applied", BigInteger, nullable=False, server_default=text("0")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

parked_messages = Table(
    "parked_messages",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("consumer", Text, nullable=False),
    Column("stream_seq", BigInteger, nullable=False),
    Column("subject", Text, nullable=False),
    Column("event_id", Text),
    Column("event_type", Text),
    Column("stream_id", Text),
    Column("version", Integer),
    Column("headers", JSONB, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("reason", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("deliveries", Integer, nullable=False),
    Column("parked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("replayed_at", DateTime(timezone=True)),
    UniqueConstraint("consumer", "stream_seq", name="parked_messages_consumer_seq_key"),
    Index(
        "parked_messages_open",
        "consumer",
        "stream_id",
        postgresql_where=text("replayed_at IS NULL"),
    ),
)
