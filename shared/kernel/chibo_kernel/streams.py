"""JetStream stream declaration. Only the owning service calls this for its own stream;
consumers bind to streams they do not own and never declare them.

The owner records its event store's id in the stream's metadata, and its relay names that
store in every message (`Chibo-Store`): a consumer then recognises a message some other
store wrote (a staging instance pointed at production) and parks it instead of applying it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from .logging import get_logger
from .subjects import service_subjects

log = get_logger("chibo.streams")

STORE_HEADER = "Chibo-Store"
OWNER_KEY = "chibo_store"
# The first stream sequence that must carry the header: a stream created before stores
# named themselves keeps its older messages readable.
SINCE_KEY = "chibo_store_since"


@dataclass(frozen=True)
class StreamOwner:
    store: str
    since: int = 1

    def wrote(self, stream_seq: int, headers: Mapping[str, str]) -> bool:
        return stream_seq < self.since or headers.get(STORE_HEADER) == self.store


def owner_from(metadata: Mapping[str, str] | None) -> StreamOwner | None:
    """The owner a stream records, or None for a stream that records none (then no message
    can be told apart, and consumers accept them all, as before)."""
    store = (metadata or {}).get(OWNER_KEY)
    if not store:
        return None
    since = (metadata or {}).get(SINCE_KEY, "1")
    return StreamOwner(store, int(since) if since.isdigit() else 1)


@dataclass(frozen=True)
class StreamSpec:
    service: str
    replicas: int = 1
    # Long enough to cover a relay restart after a NATS outage; the relay also reconciles
    # with the stream's tail, so the window is a second line of defence, not the only one.
    duplicate_window_seconds: float = 600.0
    max_age_seconds: float = 0.0  # 0 = keep forever: other systems replay from the start

    @property
    def name(self) -> str:
        return f"CHIBO_{self.service.upper()}"

    @property
    def subjects(self) -> list[str]:
        return [service_subjects(self.service)]

    def config(self) -> StreamConfig:
        return StreamConfig(
            name=self.name,
            subjects=self.subjects,
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            storage=StorageType.FILE,
            num_replicas=self.replicas,
            duplicate_window=self.duplicate_window_seconds,
            max_age=self.max_age_seconds,
        )


async def declare_stream(
    js: JetStreamContext, spec: StreamSpec, store_id: str | None = None
) -> None:
    """Create the stream, or bring an existing one to this configuration; with `store_id`,
    record that store as the owner unless the stream already records one."""
    config = spec.config()
    try:
        info = await js.stream_info(spec.name)
    except NotFoundError:
        if store_id is not None:
            config.metadata = {OWNER_KEY: store_id, SINCE_KEY: "1"}
        await js.add_stream(config)
        return
    # The server adds keys of its own (`_nats.…`); it refuses them back in an update.
    metadata = {k: v for k, v in (info.config.metadata or {}).items() if not k.startswith("_")}
    recorded = metadata.get(OWNER_KEY)
    if store_id is not None and recorded is None:
        metadata |= {OWNER_KEY: store_id, SINCE_KEY: str(info.state.last_seq + 1)}
    elif store_id is not None and recorded != store_id:
        log.error(
            "the stream records another event store as its owner; consumers park what this "
            "one publishes",
            stream=spec.name,
            recorded=recorded,
            this_store=store_id,
        )
    config.metadata = metadata or None
    await js.update_stream(config)


async def stream_owner(js: JetStreamContext, stream: str) -> StreamOwner | None:
    info = await js.stream_info(stream)
    return owner_from(info.config.metadata)
