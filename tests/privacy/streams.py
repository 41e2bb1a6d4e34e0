"""Every message of every JetStream stream on a server, as a subscriber reads it: one
ephemeral ordered consumer per stream, unfiltered (all subjects), from the first message to
the last the stream held when the read began. What a subscriber sees live is a subset."""

from __future__ import annotations

from dataclasses import dataclass

from nats.aio.client import Client as NATS
from nats.js.api import DeliverPolicy

READ_TIMEOUT = 30.0  # seconds without a message before a read counts as stuck


@dataclass(frozen=True)
class Message:
    stream: str
    seq: int
    subject: str
    headers: dict[str, str]
    data: bytes

    @property
    def event_type(self) -> str:
        return self.headers.get("ce-type", "")

    @property
    def where(self) -> str:
        return f"{self.stream} #{self.seq} {self.subject}"


@dataclass(frozen=True)
class StreamRead:
    name: str
    subjects: tuple[str, ...]
    held: int  # messages the stream held when the read began
    messages: tuple[Message, ...]


async def read_every_stream(nc: NATS) -> list[StreamRead]:
    """Every stream of the account, read whole. Fails if a stream yields fewer messages than
    it said it held: a probe that read part of a stream proves nothing about the rest."""
    js = nc.jetstream()
    found = []
    for info in await js.streams_info():
        config, state = info.config, info.state
        assert config.name is not None
        read: list[Message] = []
        if state.messages:
            # An empty filter: every subject the stream holds, whatever its configuration.
            sub = await js.subscribe(
                "", stream=config.name, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
            )
            try:
                while not read or read[-1].seq < state.last_seq:
                    msg = await sub.next_msg(timeout=READ_TIMEOUT)
                    read.append(
                        Message(
                            config.name,
                            msg.metadata.sequence.stream,
                            msg.subject,
                            dict(msg.headers or {}),
                            msg.data,
                        )
                    )
            finally:
                await sub.unsubscribe()
        kept = [m for m in read if m.seq <= state.last_seq]
        assert len(kept) == state.messages, (
            f"{config.name}: read {len(kept)} messages of the {state.messages} it held"
        )
        found.append(StreamRead(config.name, tuple(config.subjects or ()), len(kept), tuple(kept)))
    return found
