"""Connecting to NATS the way every chibo process should: through a FastStream broker, which
owns the connection (reconnect for ever; each connection event logged as one structured
line, where nats-py's default prints a traceback per retry), declares the subscribers and
counts their batches in Prometheus."""

from __future__ import annotations

from collections.abc import Sequence

from faststream.nats import NatsBroker
from faststream.nats.prometheus import NatsPrometheusMiddleware
from faststream.security import SASLPlaintext
from nats.aio.client import Client as NATS
from prometheus_client import CollectorRegistry

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
    registry: CollectorRegistry | None = None,
    graceful_timeout: float = 20.0,
) -> NatsBroker:
    """`graceful_timeout`: how long stopping a subscriber waits for the batch in hand."""

    async def on_error(exc: Exception) -> None:
        log.warning("nats connection error", error=repr(exc))

    async def on_disconnect() -> None:
        log.warning("nats disconnected")

    async def on_reconnect() -> None:
        log.info("nats reconnected")

    middlewares = [] if registry is None else [NatsPrometheusMiddleware(registry=registry)]
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
        graceful_timeout=graceful_timeout,
        middlewares=middlewares,
        # The consumer logs its own batches, parkings and failures, in the service's format.
        logger=None,
    )


async def connect_nats(servers: Sequence[str] | str, *, name: str, **options: float) -> NATS:
    """A connection alone, for tools and tests that publish or inspect."""
    broker = nats_broker(servers, name=name, **options)  # type: ignore[arg-type]
    return await broker.connect()
