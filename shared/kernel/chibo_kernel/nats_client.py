"""Connecting to NATS the way every chibo process should: through a FastStream broker, which
owns the connection (reconnect for ever; each connection event logged as one structured
line, where nats-py's default prints a traceback per retry).

The relay and the consumers run their own loops on that connection. FastStream's batch pull
subscriber tops a batch up with short fetches until its window closes; a fetch that times
out on the client while the server sends drops what arrives (delivered, never handled,
redelivered only after ack_wait), which spends the message's delivery budget: measured,
a poison event was parked after two handler calls for three deliveries."""

from __future__ import annotations

from collections.abc import Sequence

from faststream.nats import NatsBroker
from faststream.security import SASLPlaintext
from nats.aio.client import Client as NATS

from .logging import get_logger

log = get_logger("chibo.nats")


def nats_broker(
    servers: Sequence[str] | str,
    *,
    name: str,
    user: str | None = None,
    password: str | None = None,
    reconnect_wait: float = 0.25,
    connect_timeout: float = 2.0,
) -> NatsBroker:
    async def on_error(exc: Exception) -> None:
        log.warning("nats connection error", error=repr(exc))

    async def on_disconnect() -> None:
        log.warning("nats disconnected")

    async def on_reconnect() -> None:
        log.info("nats reconnected")

    return NatsBroker(
        servers=[servers] if isinstance(servers, str) else list(servers),
        name=name,
        security=None if user is None else SASLPlaintext(username=user, password=password or ""),
        max_reconnect_attempts=-1,
        reconnect_time_wait=reconnect_wait,  # type: ignore[arg-type]  # seconds, a float works
        connect_timeout=connect_timeout,  # type: ignore[arg-type]
        error_cb=on_error,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
        # The consumer logs its own batches, parkings and failures, in the service's format.
        logger=None,
    )


async def connect_nats(servers: Sequence[str] | str, *, name: str, **options: float) -> NATS:
    """A connection alone, for tools and tests that publish or inspect."""
    broker = nats_broker(servers, name=name, **options)  # type: ignore[arg-type]
    return await broker.connect()
