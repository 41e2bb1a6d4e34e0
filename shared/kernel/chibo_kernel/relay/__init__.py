"""The outbox relay from the events table to the owning service's JetStream stream."""

from .relay import OutboxRelay
from .rows import Cursor

__all__ = ["Cursor", "OutboxRelay"]
