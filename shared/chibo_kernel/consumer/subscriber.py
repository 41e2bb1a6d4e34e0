"""A durable consumer as a FastStream subscriber: FastStream pulls the batches (pull
subscription, manual acks) and hands each one to the kernel's transactional, idempotent
batch (`EventConsumer.handle`), which applies it in one transaction and only then settles
every message. FastStream's logging and Prometheus middleware see each batch; the
subscriber also declares the channel in the AsyncAPI document."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, Protocol

from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.message import NatsMessage
from nats.aio.msg import Msg

from .spec import ConsumerSpec


async def _raw(message: NatsMessage) -> Any:
    # The kernel decodes each message itself, with its registry and the CloudEvents
    # headers; FastStream's JSON decoding would be done twice.
    return message.raw_message


class BatchApplier(Protocol):
    spec: ConsumerSpec

    async def apply_batch(self, messages: Sequence[Msg], stop: asyncio.Event) -> None: ...


def subscribe(
    broker: NatsBroker, consumer: BatchApplier, stop: asyncio.Event, *, description: str = ""
) -> Any:
    """Declare `consumer` on `broker`; returns the FastStream subscriber (started with the
    broker, or on its own with `await subscriber.start()` once the stream exists)."""
    spec = consumer.spec

    # Annotated Any: FastStream validates a handler's parameters by their annotations, and
    # the raw batch needs none.
    async def apply(messages: Any) -> None:
        batch: list[Msg] = messages
        await consumer.apply_batch(batch, stop)

    subscriber = broker.subscriber(
        spec.filter_subjects[0],
        stream=JStream(spec.stream, declare=False),
        durable=spec.name,
        config=spec.server_config(),
        pull_sub=PullSub(spec.batch_size, timeout=0.05, batch=True),
        ack_policy=AckPolicy.MANUAL,
        decoder=_raw,
        title=spec.name,
        description=description or f"durable consumer {spec.name} of {spec.stream}",
    )
    subscriber(apply)
    return subscriber
