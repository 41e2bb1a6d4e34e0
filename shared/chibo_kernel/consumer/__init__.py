"""The idempotent, order-keeping JetStream consumer."""

from .batch import BatchProcessor, Outcome
from .consumer import ConsumerConfigConflict, EventConsumer, StreamMissing
from .gate import Verdict
from .parking import ParkedMessage, ReplayReport
from .received import EventHandler, PerEventProjection, Projection, ReceivedEvent
from .spec import ConsumerSpec

__all__ = [
    "BatchProcessor",
    "ConsumerConfigConflict",
    "ConsumerSpec",
    "EventConsumer",
    "EventHandler",
    "Outcome",
    "ParkedMessage",
    "PerEventProjection",
    "Projection",
    "ReceivedEvent",
    "ReplayReport",
    "StreamMissing",
    "Verdict",
]
