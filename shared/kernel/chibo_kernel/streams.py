"""JetStream stream declaration. Only the owning service calls this for its own stream;
consumers bind to streams they do not own and never declare them."""

from __future__ import annotations

from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from .subjects import service_subjects


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


async def declare_stream(js: JetStreamContext, spec: StreamSpec) -> None:
    """Create the stream, or bring an existing one to this configuration."""
    config = spec.config()
    try:
        await js.stream_info(spec.name)
    except NotFoundError:
        await js.add_stream(config)
        return
    await js.update_stream(config)
