"""The idempotent, order-keeping JetStream consumer."""

from .batch import BatchProcessor, ConsumerRetired, Fence, Outcome
from .consumer import EventConsumer
from .gate import Verdict
from .parking import ParkedMessage, ReplayReport
from .received import EventHandler, PerEventProjection, Projection, ReceivedEvent
from .spec import ConsumerConfigConflict, ConsumerSpec, StreamMissing

__all__ = [
    "BatchProcessor",
    "ConsumerConfigConflict",
    "ConsumerRetired",
    "ConsumerSpec",
    "EventConsumer",
    "EventHandler",
    "Fence",
    "Outcome",
    "ParkedMessage",
    "PerEventProjection",
    "Projection",
    "ReceivedEvent",
    "ReplayReport",
    "StreamMissing",
    "Verdict",
]
