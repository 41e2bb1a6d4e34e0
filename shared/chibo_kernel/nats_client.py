"""Connecting to NATS the way every chibo process should: reconnect for ever, log each
connection event as one structured line (nats-py's default prints a traceback per retry)."""

from __future__ import annotations

from collections.abc import Sequence

import nats
from nats.aio.client import Client as NATS

from .logging import get_logger

log = get_logger("chibo.nats")


async def connect_nats(
    servers: Sequence[str] | str,
    *,
    name: str,
    user: str | None = None,
    password: str | None = None,
    reconnect_wait: float = 0.25,
    connect_timeout: float = 2.0,
) -> NATS:
    async def on_error(exc: Exception) -> None:
        log.warning("nats connection error", error=repr(exc))

    async def on_disconnect() -> None:
        log.warning("nats disconnected")

    async def on_reconnect() -> None:
        log.info("nats reconnected")

    return await nats.connect(
        servers=[servers] if isinstance(servers, str) else list(servers),
        name=name,
        user=user,
        password=password,
        max_reconnect_attempts=-1,
        reconnect_time_wait=reconnect_wait,
        connect_timeout=connect_timeout,
        error_cb=on_error,
        disconnected_cb=on_disconnect,
        reconnected_cb=on_reconnect,
    )
