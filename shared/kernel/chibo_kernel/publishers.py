"""The events a service publishes, declared as FastStream publishers: one per published
event type, on its subject with the aggregate and the organisation path as parameters.
FastStream writes the AsyncAPI document from these declarations (the generator in tools/
adds what it cannot express: the CloudEvents headers and the subject's parameters). The relay
publishes through the connection the broker manages, with the headers an event needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from faststream.nats import NatsBroker

from .events import DomainEvent


def channel_address(model: type[DomainEvent]) -> str:
    """The event's NATS subject with its two parameters (see `subjects.py`)."""
    event = f"{model.short_name()}.{model.version()}"
    return f"chibo.{model.service()}.{{aggregate}}.{event}.{{organisation}}"


def declare_publishers(broker: NatsBroker, models: Iterable[type[DomainEvent]]) -> list[Any]:
    """A publisher for each published event type among `models`; private ones never leave
    their service and are not declared."""
    return [
        broker.publisher(
            channel_address(model),
            schema=model,
            title=model.event_type,
            description=f"Every `{model.event_type}` event.",
        )
        for model in models
        if model.published
    ]
